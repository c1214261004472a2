import { useState } from "react";
import { ScorePill, StateBadge } from "../components/Badges";
import { IssueCategoryBadge, LabelBadge } from "../components/IssueBadges";
import { IssueEvidencePanel, IssueScoreBars } from "../components/IssueEvidence";
import { Link } from "../components/Link";
import { LinkList } from "../components/LinkList";
import { Empty, ErrorState, Loading } from "../components/States";
import { age } from "../format";
import { useApi } from "../hooks";
import { href } from "../router";
import type { IssueDetail, IssueRelation } from "../types";
import "../issues.css";

/** Text longer than this many lines is folded until asked for. */
const FOLD_LINES = 16;

/** One issue: its text, its duplicates and related issues with evidence, linked PRs. */
export function IssueView({ repoId, number }: { repoId: number; number: number }) {
  const { data, error, reload } = useApi<IssueDetail>(`/api/repos/${repoId}/issues/${number}`);
  if (error) return <ErrorState error={error} onRetry={reload} />;
  if (!data) return <Loading label={`Loading issue #${number}…`} />;
  const i = data;
  return (
    <div>
      <p>
        <Link to={href({ view: "issues", repoId })}>← All issues</Link>
      </p>
      <h1>
        #{i.issueNumber} {i.title}
      </h1>
      <p className="meta">
        <StateBadge state={i.state} />
        {i.stateReason && i.state !== "OPEN" && <span className="muted">({i.stateReason.replace(/_/g, " ")}) </span>}
        {i.labels.map((l) => (
          <LabelBadge key={l} label={l} />
        ))}{" "}
        by {i.authorLogin ?? "unknown"} · opened {age(i.createdAt)} ago · {i.comments}{" "}
        {i.comments === 1 ? "comment" : "comments"}
        {i.htmlUrl && (
          <>
            {" "}
            ·{" "}
            <a href={i.htmlUrl} target="_blank" rel="noreferrer">
              Open on GitHub
            </a>
          </>
        )}
      </p>
      {i.analysisStatus !== "ANALYSED" && (
        <p className="note" role="note">
          Analysis: <strong>{i.analysisStatus.toLowerCase()}</strong>. Duplicates and suggested links appear once the
          current text has been analysed.
        </p>
      )}
      <section aria-labelledby="issue-text">
        <h2 id="issue-text" className="section-title">
          Report
        </h2>
        <IssueBody body={i.body} />
      </section>
      <section aria-labelledby="issue-dups">
        <h2 id="issue-dups" className="section-title">
          Duplicates
        </h2>
        {i.duplicates.length === 0 ? (
          <p className="muted">No other issue reports the same problem.</p>
        ) : (
          <Relations repoId={repoId} relations={i.duplicates} openFirst />
        )}
      </section>
      {i.related.length > 0 && (
        <section aria-labelledby="issue-related">
          <h2 id="issue-related" className="section-title">
            Related issues
          </h2>
          <Relations repoId={repoId} relations={i.related} openFirst={false} />
        </section>
      )}
      <section aria-labelledby="issue-prs">
        <h2 id="issue-prs" className="section-title">
          Linked PRs
        </h2>
        {i.linkedPrs.length === 0 ? (
          <Empty title="No linked PRs">
            <p>No PR references this issue, and none resembles it closely enough to suggest one.</p>
          </Empty>
        ) : (
          <LinkList repoId={repoId} links={i.linkedPrs} show="pr" />
        )}
      </section>
    </div>
  );
}

/** The author's text as plain text (never HTML), folded when long. */
export function IssueBody({ body }: { body: string | null }) {
  const [unfolded, setUnfolded] = useState(false);
  const text = (body ?? "").replace(/\r\n/g, "\n").trimEnd();
  if (!text.trim()) return <p className="muted">The issue has no description.</p>;
  const lines = text.split("\n");
  const folded = !unfolded && lines.length > FOLD_LINES;
  return (
    <div className="issue-body">
      <pre>{folded ? lines.slice(0, FOLD_LINES).join("\n") + "\n…" : text}</pre>
      {lines.length > FOLD_LINES && (
        <button type="button" className="secondary" onClick={() => setUnfolded(!unfolded)}>
          {unfolded ? "Fold the text" : `Show all ${lines.length} lines`}
        </button>
      )}
    </div>
  );
}

function Relations({
  repoId,
  relations,
  openFirst,
}: {
  repoId: number;
  relations: IssueRelation[];
  openFirst: boolean;
}) {
  const [open, setOpen] = useState<number | null>(openFirst ? (relations[0]?.issueNumber ?? null) : null);
  return (
    <ol className="candidates relations">
      {relations.map((r) => {
        const expanded = r.issueNumber === open;
        return (
          <li key={r.issueNumber} className="card">
            <header>
              <button
                type="button"
                className="link-button"
                aria-expanded={expanded}
                onClick={() => setOpen(expanded ? null : r.issueNumber)}
              >
                #{r.issueNumber} {r.title}
              </button>
              <IssueCategoryBadge category={r.category} />
              <ScorePill score={r.score} />
              {r.state !== "OPEN" && <StateBadge state={r.state} />}
              <Link to={href({ view: "issue", repoId, number: r.issueNumber })}>open</Link>
            </header>
            {expanded && (
              <div className="edge-body">
                <IssueScoreBars scores={r.scores} />
                <IssueEvidencePanel evidence={r.evidence} />
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
