import { useState } from "react";
import { CategoryBadge, ScorePill, StateBadge } from "../components/Badges";
import { EvidencePanel } from "../components/Evidence";
import { FeedbackButtons, decisionText } from "../components/Feedback";
import { Link } from "../components/Link";
import { LinkedIssuesPanel } from "../components/LinkList";
import { ScopePanel } from "../components/ScopePanel";
import { ScoreBars } from "../components/ScoreBars";
import { Empty, ErrorState, Loading } from "../components/States";
import { age, categoryLabel, percent, shortSha } from "../format";
import { useApi } from "../hooks";
import { href } from "../router";
import type { CandidateList, FeedbackView, PrDetail } from "../types";

/** A PR: its analysis, ranked candidates with evidence side by side, decisions. */
export function PrView({ repoId, number }: { repoId: number; number: number }) {
  const base = `/api/repos/${repoId}/prs/${number}`;
  const pr = useApi<PrDetail>(base);
  const candidates = useApi<CandidateList>(`${base}/candidates?limit=20`);
  const feedback = useApi<{ feedback: FeedbackView[] }>(`${base}/feedback`);
  const [open, setOpen] = useState<number | null>(null);

  if (pr.error) return <ErrorState error={pr.error} onRetry={pr.reload} />;
  if (!pr.data) return <Loading label={`Loading #${number}…`} />;
  const p = pr.data;
  const list = candidates.data?.candidates ?? [];
  const shown = open ?? list[0]?.candidatePrNumber ?? null;
  return (
    <div>
      <p>
        {p.duplicateSetId !== null ? (
          <Link to={href({ view: "set", repoId, setId: p.duplicateSetId })}>← Its duplicate set</Link>
        ) : (
          <Link to={href({ view: "sets", repoId })}>← All sets</Link>
        )}
      </p>
      <h1>
        #{p.prNumber} {p.title}
      </h1>
      <p className="meta">
        <StateBadge state={p.state} /> {p.isDraft && <span className="badge">draft</span>} by{" "}
        {p.authorLogin ?? "unknown"} · opened {age(p.createdAt)} ago · head <code>{shortSha(p.headSha)}</code> ·{" "}
        {p.size.changedFiles ?? "?"} files, +{p.size.additions ?? "?"} −{p.size.deletions ?? "?"} ·{" "}
        {p.url && (
          <a href={p.url} target="_blank" rel="noreferrer">
            Open on GitHub
          </a>
        )}
      </p>
      {p.alreadyLanded && (
        <p className="note landed" role="note">
          Already landed: merged PR{" "}
          <Link to={href({ view: "pr", repoId, number: p.alreadyLanded.prNumber })}>#{p.alreadyLanded.prNumber}</Link>{" "}
          carries the same change ({categoryLabel(p.alreadyLanded.category).toLowerCase()},{" "}
          {percent(p.alreadyLanded.score)}).
        </p>
      )}
      <p className="meta">
        Analysis: <strong>{p.analysis.status.toLowerCase()}</strong>
        {p.analysis.error && <span className="muted"> — {p.analysis.error}</span>} · production{" "}
        {p.channels.productionFiles}, tests {p.channels.testFiles}, docs {p.channels.docFiles}, agent notes{" "}
        {p.channels.metaFiles}
      </p>
      <div className="pr-panels">
        <LinkedIssuesPanel repoId={repoId} links={p.issueLinks} />
        <ScopePanel scope={p.scope} />
      </div>
      {feedback.data && feedback.data.feedback.length > 0 && (
        <section aria-labelledby="pr-decisions">
          <h2 id="pr-decisions">Decisions</h2>
          <ul className="decisions">
            {feedback.data.feedback.map((f) => (
              <li key={f.id}>
                {decisionText(f)} <span className="muted">{age(f.createdAt)} ago</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <h2>Candidates</h2>
      {candidates.error ? (
        <ErrorState error={candidates.error} onRetry={candidates.reload} />
      ) : !candidates.data ? (
        <Loading label="Loading candidates…" />
      ) : list.length === 0 ? (
        <Empty title="No candidates">
          <p>Nothing else in the repository looks like this PR.</p>
        </Empty>
      ) : (
        <ol className="candidates">
          {list.map((c) => {
            const expanded = c.candidatePrNumber === shown;
            return (
              <li key={c.candidatePrNumber} className="card">
                <header>
                  <button
                    type="button"
                    className="link-button"
                    aria-expanded={expanded}
                    onClick={() => setOpen(expanded ? -1 : c.candidatePrNumber)}
                  >
                    {c.rank}. #{c.candidatePrNumber} {c.candidateTitle}
                  </button>
                  <CategoryBadge category={c.category} />
                  <ScorePill score={c.finalScore} />
                  {c.candidateState !== "OPEN" && <StateBadge state={c.candidateState} />}
                  <Link to={href({ view: "pr", repoId, number: c.candidatePrNumber })}>open</Link>
                </header>
                {expanded && (
                  <>
                    <div className="edge-body">
                      <ScoreBars scores={c.scores} />
                      <EvidencePanel
                        evidence={c.evidence}
                        side={c.evidenceSide}
                        mine={p.prNumber}
                        theirs={c.candidatePrNumber}
                      />
                    </div>
                    <FeedbackButtons
                      repoId={repoId}
                      pr={{ number: p.prNumber, headSha: p.headSha }}
                      other={{ number: c.candidatePrNumber, headSha: c.candidateHeadSha }}
                      onSaved={() => feedback.reload()}
                    />
                  </>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
