import { useState } from "react";
import { VerdictBadge } from "../components/IssueBadges";
import { Link } from "../components/Link";
import { ReasonList } from "../components/ScopePanel";
import { Empty, ErrorState, Loading } from "../components/States";
import { age, percent } from "../format";
import { verdictLabel } from "../issueFormat";
import { ALL_VERDICTS, scopePath, topReasons } from "../issueShape";
import { usePaged } from "../paged";
import { href } from "../router";
import type { ScopeItem, ScopePage } from "../types";
import "../issues.css";

/** Open PRs the scope assist thinks are out of scope or needs a human for. */
export function ScopeView({ repoId }: { repoId: number }) {
  const [verdicts, setVerdicts] = useState<string[]>(["OUT_OF_SCOPE", "UNCERTAIN"]);
  const list = usePaged<ScopePage, ScopeItem>(
    (cursor) => scopePath(repoId, verdicts, cursor),
    (page) => page.items,
    `${repoId}|${verdicts.join(",")}`,
  );
  const page = list.page;

  return (
    <div>
      <h1>Scope</h1>
      <p className="note assist" role="note">
        Assist only: verdicts read the repository's vision document and path rules to help a maintainer decide.
        Nothing is labelled, closed or commented on because of them.
      </p>
      {page && (
        <p className="meta vision">
          {page.vision.present ? (
            <>
              Judged by <code>{page.vision.path}</code>
              {page.vision.fetchedAt && <> (read {age(page.vision.fetchedAt)} ago)</>}.
            </>
          ) : (
            <>
              This repository has no <code>{page.vision.path}</code>: only path rules and policies (license, vendored
              code, dependencies) judge, so most PRs are uncertain.
            </>
          )}{" "}
          Open PRs: {page.counts.outOfScope} out of scope · {page.counts.uncertain} uncertain · {page.counts.inScope} in
          scope
          {page.counts.notJudged > 0 && <> · {page.counts.notJudged} not judged yet</>}.
        </p>
      )}
      <form className="filters" aria-label="Filter verdicts" onSubmit={(e) => e.preventDefault()}>
        <fieldset>
          <legend>Verdicts</legend>
          {ALL_VERDICTS.map((v) => (
            <label key={v} className="check">
              <input
                type="checkbox"
                checked={verdicts.includes(v)}
                onChange={(e) =>
                  setVerdicts(
                    e.target.checked
                      ? ALL_VERDICTS.filter((x) => x === v || verdicts.includes(x))
                      : verdicts.filter((x) => x !== v),
                  )
                }
              />
              <VerdictBadge verdict={v} />
            </label>
          ))}
        </fieldset>
      </form>
      {verdicts.length === 0 ? (
        <Empty title="No verdict selected">
          <p>Pick at least one verdict to list.</p>
        </Empty>
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : list.loading && list.items.length === 0 ? (
        <Loading label="Loading scope verdicts…" />
      ) : list.items.length === 0 ? (
        <Empty title="Nothing to look at">
          <p>
            No open PR is {verdicts.map((v) => verdictLabel(v).toLowerCase()).join(" or ")}
            {page && page.counts.notJudged > 0 ? ` (${page.counts.notJudged} not judged yet).` : "."}
          </p>
        </Empty>
      ) : (
        <>
          <ol className="scope-list" aria-label="Open PRs by verdict">
            {list.items.map((item) => (
              <li key={item.prNumber} className="card scope-item">
                <header>
                  <h2>
                    <Link to={href({ view: "pr", repoId, number: item.prNumber })}>
                      #{item.prNumber} {item.title}
                    </Link>
                  </h2>
                  <VerdictBadge verdict={item.verdict} />
                  <span className="muted">confidence {percent(item.confidence)}</span>
                  <span className="muted">
                    · {item.authorLogin ?? "unknown"} · updated {age(item.updatedAt)} ago
                  </span>
                </header>
                <ReasonList reasons={topReasons(item.reasons, item.verdict, 2)} compact />
                {item.reasons.length > 2 && (
                  <p className="muted more-reasons">
                    {item.reasons.length - 2} more {item.reasons.length - 2 === 1 ? "reason" : "reasons"} on{" "}
                    <Link to={href({ view: "pr", repoId, number: item.prNumber })}>the PR's page</Link>.
                  </p>
                )}
              </li>
            ))}
          </ol>
          {list.hasMore && (
            <button type="button" className="more" onClick={list.loadMore} disabled={list.loading}>
              {list.loading ? "Loading…" : "Show more PRs"}
            </button>
          )}
        </>
      )}
    </div>
  );
}
