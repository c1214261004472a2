import { useState } from "react";
import { ApiError, postJson } from "../api";
import type { Decision, FeedbackRequest, FeedbackView } from "../types";
import { TokenForm } from "./TokenForm";

const DECISION_TEXT: Record<string, string> = {
  DUPLICATE: "confirmed duplicate",
  NOT_RELATED: "not a duplicate",
  BASE: "picked as base",
  SAME_FEATURE: "same feature",
  COMPETING: "competing",
  RELATED: "related",
  OUT_OF_SCOPE: "out of scope",
};

export function decisionText(d: FeedbackView): string {
  const what = DECISION_TEXT[d.decision] ?? d.decision.toLowerCase();
  if (d.decision === "BASE" && d.basePrNumber !== null) return `#${d.basePrNumber} picked as base`;
  if (d.candidatePrNumber !== null) return `#${d.prNumber} ↔ #${d.candidatePrNumber}: ${what}`;
  return `#${d.prNumber}: ${what}`;
}

/** Maintainer decisions on a pair (and the base), saved through the API. */
export function FeedbackButtons({
  repoId,
  pr,
  other,
  onSaved,
}: {
  repoId: number;
  pr: { number: number; headSha?: string };
  other: { number: number; headSha?: string };
  onSaved: (saved: string) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function send(decision: Decision, basePrNumber?: number) {
    const body: FeedbackRequest = {
      prNumber: pr.number,
      headSha: pr.headSha,
      candidatePrNumber: other.number,
      candidateHeadSha: other.headSha,
      decision,
      basePrNumber,
    };
    setBusy(true);
    setError(null);
    try {
      await postJson(`/api/repos/${repoId}/feedback`, body);
      const text =
        decision === "BASE"
          ? `Saved: #${basePrNumber} is the base`
          : decision === "DUPLICATE"
            ? `Saved: #${pr.number} and #${other.number} are duplicates`
            : `Saved: #${pr.number} and #${other.number} are not duplicates`;
      setDone(text);
      onSaved(text);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "client", String(err)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="feedback">
      <div className="row" role="group" aria-label={`Decide on #${pr.number} and #${other.number}`}>
        <button type="button" disabled={busy} onClick={() => send("DUPLICATE")}>
          Confirm duplicate
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => send("NOT_RELATED")}>
          Not a duplicate
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => send("BASE", pr.number)}>
          Keep #{pr.number} as base
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => send("BASE", other.number)}>
          Keep #{other.number} as base
        </button>
      </div>
      {done && !error && (
        <p className="ok-text" role="status">
          {done}
        </p>
      )}
      {error &&
        (error.needsToken ? (
          <TokenForm reason={error.message} onSaved={() => setError(null)} />
        ) : (
          <p className="error-text" role="alert">
            {error.code === "writes_disabled"
              ? "Feedback is turned off: the server has no DASHBOARD_TOKEN configured."
              : error.message}
          </p>
        ))}
    </div>
  );
}
