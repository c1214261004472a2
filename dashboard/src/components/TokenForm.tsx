import { useId, useState } from "react";
import { storedToken, storeToken } from "../api";

/**
 * Asks for the dashboard token. Shown when the API answers 401: with no token stored the
 * server needs one; with one stored, that token was refused.
 */
export function TokenForm({ reason, onSaved }: { reason: string; onSaved: () => void }) {
  const id = useId();
  const [value, setValue] = useState("");
  const rejected = storedToken() !== null;
  return (
    <form
      className="state token"
      aria-labelledby={`${id}-title`}
      onSubmit={(event) => {
        event.preventDefault();
        const token = value.trim();
        if (!token) return;
        storeToken(token);
        onSaved();
      }}
    >
      <h2 id={`${id}-title`}>{rejected ? "That token was not accepted" : "This dashboard needs a token"}</h2>
      <p className={rejected ? "error-text" : undefined} role={rejected ? "alert" : undefined}>
        {rejected
          ? `The server refused the stored token: ${reason} Enter the current DASHBOARD_TOKEN.`
          : "Enter the DASHBOARD_TOKEN this server was started with. It is kept in this browser only."}
      </p>
      <label htmlFor={`${id}-token`}>Dashboard token</label>
      <div className="row">
        <input
          id={`${id}-token`}
          type="password"
          autoComplete="current-password"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          required
        />
        <button type="submit">Use token</button>
        {rejected && (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              storeToken(null);
              onSaved();
            }}
          >
            Forget token
          </button>
        )}
      </div>
    </form>
  );
}
