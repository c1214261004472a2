import { useState } from "react";
import { percent } from "../format";
import { directionLabel, reasonKindLabel, valueClass } from "../issueFormat";
import { topReasons } from "../issueShape";
import type { ScopeReason, ScopeVerdict } from "../types";
import { VerdictBadge } from "./IssueBadges";
import "../issues.css";

/** Reasons shown before "show all". */
const FIRST_REASONS = 3;

/** The scope assist's verdict on a PR with its reasons; advisory, and says so. */
export function ScopePanel({ scope }: { scope: ScopeVerdict | null | undefined }) {
  const [all, setAll] = useState(false);
  const reasons = scope ? topReasons(scope.reasons, scope.verdict, scope.reasons.length) : [];
  return (
    <section className="card scope-panel" aria-labelledby="pr-scope">
      <header>
        <h2 id="pr-scope">Scope</h2>
        {scope && <VerdictBadge verdict={scope.verdict} />}
        {scope && <span className="muted">confidence {percent(scope.confidence)}</span>}
      </header>
      <p className="note assist" role="note">
        Assist only: a reading of the repository's vision document and path rules. Nothing is labelled, closed or
        commented on because of it.
      </p>
      {!scope ? (
        <p className="muted">No verdict for the current head yet: it appears once the PR has been analysed.</p>
      ) : (
        <>
          <ReasonList reasons={all ? reasons : reasons.slice(0, FIRST_REASONS)} />
          {reasons.length > FIRST_REASONS && (
            <button type="button" className="secondary" onClick={() => setAll(!all)}>
              {all ? "Show the main reasons only" : `Show all ${reasons.length} reasons`}
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** Reasons with their source, the rule that matched and what it matched. */
export function ReasonList({ reasons, compact = false }: { reasons: ScopeReason[]; compact?: boolean }) {
  if (reasons.length === 0) return <p className="muted">No reasons recorded.</p>;
  return (
    <ul className={compact ? "reasons compact" : "reasons"}>
      {reasons.map((r, i) => (
        <li key={i} className={valueClass("dir", r.direction)}>
          <span className="reason-head">
            <span className="badge reason-kind">{reasonKindLabel(r.kind)}</span>
            <span className="direction">{directionLabel(r.direction)}</span>
            {!compact && r.weight > 0 && <span className="muted"> · weight {percent(r.weight)}</span>}
          </span>
          <span className="reason-message">{r.message}</span>
          <span className="reason-source muted">
            Source: {r.source}
            {r.rule && (
              <>
                {" "}
                · rule <q className="rule">{r.rule}</q>
              </>
            )}
          </span>
          {r.matched && r.matched.length > 0 && (
            <span className="matched">
              Matched:{" "}
              {r.matched.slice(0, compact ? 4 : 10).map((m) => (
                <code key={m}>{m}</code>
              ))}
              {r.matched.length > (compact ? 4 : 10) && (
                <span className="muted"> and {r.matched.length - (compact ? 4 : 10)} more</span>
              )}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
