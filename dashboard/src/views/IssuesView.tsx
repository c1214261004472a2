import { useId, useState } from "react";
import { StateBadge } from "../components/Badges";
import { CountBadge, LabelBadge } from "../components/IssueBadges";
import { Link } from "../components/Link";
import { Empty, ErrorState, Loading } from "../components/States";
import { age } from "../format";
import { issueGroups, issuesPath, type IssueFilters, type IssueGroup } from "../issueShape";
import { usePaged } from "../paged";
import { href } from "../router";
import type { IssueItem, IssuePage } from "../types";
import "../issues.css";

/** Issues: duplicate groups first, then the rest, with filters and "show more". */
export function IssuesView({ repoId }: { repoId: number }) {
  const [filters, setFilters] = useState<IssueFilters>({ state: "OPEN", duplicatesOnly: false });
  const list = usePaged<IssuePage, IssueItem>(
    (cursor) => issuesPath(repoId, filters, cursor),
    (page) => page.items,
    `${repoId}|${filters.state}|${filters.duplicatesOnly}`,
  );
  const { groups, rest } = issueGroups(list.items);

  return (
    <div>
      <h1>Issues</h1>
      <Filters filters={filters} onChange={setFilters} />
      {list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : list.loading && list.items.length === 0 ? (
        <Loading label="Loading issues…" />
      ) : list.items.length === 0 ? (
        <Empty title={filters.duplicatesOnly ? "No duplicate issues" : "No issues"}>
          <p>
            {filters.duplicatesOnly
              ? "No issue in this selection reports the same problem as another."
              : "No issue matches these filters. A scan lists the repository's open and recently closed issues."}
          </p>
        </Empty>
      ) : (
        <>
          {groups.length > 0 && (
            <section aria-labelledby="dup-groups">
              <h2 id="dup-groups" className="section-title">
                Duplicate groups <span className="muted">({groups.length})</span>
              </h2>
              <ol className="issue-groups" aria-label="Issues reporting the same problem">
                {groups.map((g) => (
                  <li key={g.members[0].issueNumber}>
                    <GroupCard repoId={repoId} group={g} />
                  </li>
                ))}
              </ol>
            </section>
          )}
          {rest.length > 0 && (
            <section aria-labelledby="other-issues">
              <h2 id="other-issues" className="section-title">
                {groups.length > 0 ? "Other issues" : "Issues"}
              </h2>
              <table className="table issue-table">
                <caption className="sr-only">Issues without a duplicate, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Issue</th>
                    <th scope="col">Title</th>
                    <th scope="col">Related</th>
                    <th scope="col">Linked PRs</th>
                    <th scope="col">Opened</th>
                  </tr>
                </thead>
                <tbody>
                  {rest.map((i) => (
                    <tr key={i.issueNumber}>
                      <td>
                        <Link to={href({ view: "issue", repoId, number: i.issueNumber })}>#{i.issueNumber}</Link>
                      </td>
                      <td>
                        {i.title} {i.state !== "OPEN" && <StateBadge state={i.state} />}
                        {i.labels.map((l) => (
                          <LabelBadge key={l} label={l} />
                        ))}
                      </td>
                      <td>{i.relatedCount}</td>
                      <td>{i.linkedPrCount}</td>
                      <td>{age(i.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
          {list.hasMore && (
            <button type="button" className="more" onClick={list.loadMore} disabled={list.loading}>
              {list.loading ? "Loading…" : "Show more issues"}
            </button>
          )}
        </>
      )}
    </div>
  );
}

function Filters({ filters, onChange }: { filters: IssueFilters; onChange: (f: IssueFilters) => void }) {
  const id = useId();
  return (
    <form className="filters" aria-label="Filter issues" onSubmit={(e) => e.preventDefault()}>
      <label htmlFor={`${id}-state`}>Issues</label>
      <select
        id={`${id}-state`}
        value={filters.state}
        onChange={(e) => onChange({ ...filters, state: e.target.value as IssueFilters["state"] })}
      >
        <option value="OPEN">Open</option>
        <option value="CLOSED">Closed</option>
        <option value="ALL">All</option>
      </select>
      <label className="check">
        <input
          type="checkbox"
          checked={filters.duplicatesOnly}
          onChange={(e) => onChange({ ...filters, duplicatesOnly: e.target.checked })}
        />{" "}
        Only issues with duplicates
      </label>
    </form>
  );
}

/** Issues reporting the same problem: the first report first, each with its counts. */
export function GroupCard({ repoId, group }: { repoId: number; group: IssueGroup }) {
  const size = group.members.length + group.outside.length;
  return (
    <article className="card issue-group" aria-label={`${size} issues reporting the same problem`}>
      <header>
        <h3>
          {size} reports of{" "}
          <Link to={href({ view: "issue", repoId, number: group.members[0].issueNumber })}>
            {group.members[0].title}
          </Link>
        </h3>
        <span className="badge icat-duplicate">Duplicate</span>
      </header>
      <ul className="members">
        {group.members.map((m, i) => (
          <li key={m.issueNumber}>
            <Link to={href({ view: "issue", repoId, number: m.issueNumber })}>#{m.issueNumber}</Link>{" "}
            <span className="title">{m.title}</span>{" "}
            {i === 0 && <span className="badge base-badge">first report</span>}
            {m.state !== "OPEN" && <StateBadge state={m.state} />}
            {m.labels.map((l) => (
              <LabelBadge key={l} label={l} />
            ))}
            <span className="member-meta">
              <CountBadge count={m.duplicateCount} one="duplicate" many="duplicates" /> ·{" "}
              <CountBadge count={m.relatedCount} one="related" many="related" /> ·{" "}
              <CountBadge count={m.linkedPrCount} one="linked PR" many="linked PRs" />{" "}
              <span className="muted">
                · {m.authorLogin ?? "unknown"} · opened {age(m.createdAt)} ago
              </span>
            </span>
          </li>
        ))}
      </ul>
      {group.outside.length > 0 && (
        <p className="muted outside">
          Also a duplicate of{" "}
          {group.outside.map((n, i) => (
            <span key={n}>
              {i > 0 && ", "}
              <Link to={href({ view: "issue", repoId, number: n })}>#{n}</Link>
            </span>
          ))}{" "}
          (not in this list: another state, or further down).
        </p>
      )}
    </article>
  );
}
