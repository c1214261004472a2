import { useState } from "react";
import { ScorePill, StateBadge } from "./Badges";
import { LinkKindBadge } from "./IssueBadges";
import { LinkEvidencePanel } from "./IssueEvidence";
import { Link } from "./Link";
import { splitLinks } from "../issueShape";
import { href } from "../router";
import type { IssueLink } from "../types";
import "../issues.css";

/**
 * PR ↔ issue links seen from one side: on a PR's page the issues (`show="issue"`), on
 * an issue's page the PRs (`show="pr"`). Stated links come first; each opens to its
 * evidence.
 */
export function LinkList({ repoId, links, show }: { repoId: number; links: IssueLink[]; show: "issue" | "pr" }) {
  const { stated, suggested } = splitLinks(links);
  const ordered = [...stated, ...suggested];
  const key = (l: IssueLink) => (show === "issue" ? l.issueNumber : l.prNumber);
  const [open, setOpen] = useState<number | null>(null);
  const shown = open ?? (ordered[0] ? key(ordered[0]) : null);
  return (
    <ol className="links">
      {ordered.map((l) => {
        const number = key(l);
        const expanded = number === shown;
        const title = show === "issue" ? l.issueTitle : l.prTitle;
        const state = show === "issue" ? l.issueState : l.prState;
        const to =
          show === "issue" ? href({ view: "issue", repoId, number }) : href({ view: "pr", repoId, number });
        return (
          <li key={number} className="card link-card">
            <header>
              <button
                type="button"
                className="link-button"
                aria-expanded={expanded}
                onClick={() => setOpen(expanded ? -1 : number)}
              >
                #{number} {title}
              </button>
              <LinkKindBadge kind={l.kind} />
              <ScorePill score={l.score} />
              {state !== "OPEN" && <StateBadge state={state} />}
              <Link to={to}>open</Link>
            </header>
            {expanded && <LinkEvidencePanel evidence={l.evidence} />}
          </li>
        );
      })}
    </ol>
  );
}

/** The PR page's "Linked issues" panel. */
export function LinkedIssuesPanel({ repoId, links }: { repoId: number; links: IssueLink[] | undefined }) {
  const list = links ?? [];
  const { stated, suggested } = splitLinks(list);
  return (
    <section className="card linked-issues" aria-labelledby="pr-issues">
      <header>
        <h2 id="pr-issues">Linked issues</h2>
        {list.length > 0 && (
          <span className="muted">
            {stated.length} referenced, {suggested.length} suggested
          </span>
        )}
      </header>
      {list.length === 0 ? (
        <p className="muted">
          The PR references no issue, and none resembles it closely enough to suggest one.
        </p>
      ) : (
        <LinkList repoId={repoId} links={list} show="issue" />
      )}
    </section>
  );
}
