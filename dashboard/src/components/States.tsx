import type { ReactNode } from "react";
import type { ApiError } from "../api";
import { TokenForm } from "./TokenForm";

export function Loading({ label }: { label: string }) {
  return (
    <div className="state loading" role="status" aria-live="polite" aria-busy="true">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state empty" role="status">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

/** An API failure; a 401 asks for a token instead. */
export function ErrorState({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  if (error.needsToken) return <TokenForm reason={error.message} onSaved={onRetry} />;
  return (
    <div className="state error" role="alert">
      <h2>{error.status === 404 ? "Not found" : "Something went wrong"}</h2>
      <p>{error.message}</p>
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
