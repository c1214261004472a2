import { useEffect, useId, useState } from "react";
import { ApiError, getJson, query } from "../api";
import { CategoryBadge, ScorePill, StateBadge } from "../components/Badges";
import { Link } from "../components/Link";
import { SetGraph } from "../components/SetGraph";
import { Empty, ErrorState, Loading } from "../components/States";
import { age } from "../format";
import { href } from "../router";
import type { DuplicateSet, DuplicateSetPage } from "../types";

const ALL_CATEGORIES = ["SAME_CHANGE", "SAME_FEATURE", "COMPETING_IMPLEMENTATION"] as const;

export interface SetFilters {
  categories: string[];
  minScore: number;
  state: "OPEN" | "CLOSED" | "ALL";
}

export function setsPath(repoId: number, filters: SetFilters, cursor?: string | null): string {
  const categories =
    filters.categories.length === ALL_CATEGORIES.length ? undefined : filters.categories.join(",");
  return (
    `/api/repos/${repoId}/duplicate-sets` +
    query({
      state: filters.state === "OPEN" ? undefined : filters.state,
      minScore: filters.minScore > 0 ? filters.minScore : undefined,
      includeCategories: categories,
      limit: 20,
      cursor: cursor ?? undefined,
    })
  );
}

/** Duplicate sets, strongest first, with filters and "load more" pagination. */
export function SetsView({ repoId }: { repoId: number }) {
  const [filters, setFilters] = useState<SetFilters>({ categories: [...ALL_CATEGORIES], minScore: 0, state: "OPEN" });
  const [sets, setSets] = useState<DuplicateSet[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    if (filters.categories.length === 0) {
      setSets([]);
      setCursor(null);
      setLoading(false);
      return;
    }
    getJson<DuplicateSetPage>(setsPath(repoId, filters))
      .then((page) => {
        if (!live) return;
        setSets(page.sets);
        setCursor(page.nextCursor);
      })
      .catch((err) => live && setError(err))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [repoId, filters, tick]);

  async function loadMore() {
    if (!cursor) return;
    setLoading(true);
    try {
      const page = await getJson<DuplicateSetPage>(setsPath(repoId, filters, cursor));
      setSets((old) => [...old, ...page.sets]);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setLoading(false);
    }
  }

  return (
    <div>
      <h1>Duplicate sets</h1>
      <Filters filters={filters} onChange={setFilters} />
      {error ? (
        <ErrorState error={error} onRetry={() => setTick((t) => t + 1)} />
      ) : loading && sets.length === 0 ? (
        <Loading label="Loading duplicate sets…" />
      ) : sets.length === 0 ? (
        <Empty title="No duplicate sets">
          <p>
            {filters.state === "OPEN"
              ? "Nothing in the open PRs looks duplicated with these filters. A scan that is still running may find more."
              : "No sets match these filters."}
          </p>
        </Empty>
      ) : (
        <>
          <ol className="set-list" aria-label="Duplicate sets, strongest first">
            {sets.map((s) => (
              <li key={s.setId}>
                <SetCard repoId={repoId} set={s} />
              </li>
            ))}
          </ol>
          {cursor && (
            <button type="button" className="more" onClick={loadMore} disabled={loading}>
              {loading ? "Loading…" : "Show more sets"}
            </button>
          )}
        </>
      )}
    </div>
  );
}

function Filters({ filters, onChange }: { filters: SetFilters; onChange: (f: SetFilters) => void }) {
  const id = useId();
  return (
    <form className="filters" aria-label="Filter duplicate sets" onSubmit={(e) => e.preventDefault()}>
      <fieldset>
        <legend>Categories</legend>
        {ALL_CATEGORIES.map((c) => (
          <label key={c} className="check">
            <input
              type="checkbox"
              checked={filters.categories.includes(c)}
              onChange={(e) =>
                onChange({
                  ...filters,
                  categories: e.target.checked
                    ? ALL_CATEGORIES.filter((x) => x === c || filters.categories.includes(x))
                    : filters.categories.filter((x) => x !== c),
                })
              }
            />
            <CategoryBadge category={c} />
          </label>
        ))}
      </fieldset>
      <label htmlFor={`${id}-min`}>
        Minimum score <output>{Math.round(filters.minScore * 100)}%</output>
      </label>
      <input
        id={`${id}-min`}
        type="range"
        min={0}
        max={1}
        step={0.05}
        value={filters.minScore}
        onChange={(e) => onChange({ ...filters, minScore: Number(e.target.value) })}
      />
      <label htmlFor={`${id}-state`}>Sets</label>
      <select
        id={`${id}-state`}
        value={filters.state}
        onChange={(e) => onChange({ ...filters, state: e.target.value as SetFilters["state"] })}
      >
        <option value="OPEN">Current</option>
        <option value="CLOSED">Resolved</option>
        <option value="ALL">All</option>
      </select>
    </form>
  );
}

export function SetCard({ repoId, set }: { repoId: number; set: DuplicateSet }) {
  const base = set.suggestedBase;
  return (
    <article className="card set-card" aria-labelledby={`set-${set.setId}`}>
      <header>
        <h2 id={`set-${set.setId}`}>
          <Link to={href({ view: "set", repoId, setId: set.setId })}>
            Set {set.setId}: {set.memberCount} PRs
          </Link>
        </h2>
        <ScorePill score={set.maxScore} />
        {set.categories.map((c) => (
          <CategoryBadge key={c} category={c} />
        ))}
        {set.state === "CLOSED" && <span className="badge state-closed">resolved</span>}
      </header>
      <div className="set-body">
        <SetGraph members={set.members} edges={set.edges} />
        <div>
          {base && (
            <p className="base">
              Keep <strong>#{base.prNumber}</strong>
              {base.reason ? <span className="muted"> — {base.reason}</span> : null}
            </p>
          )}
          <ul className="members">
            {set.members.map((m) => (
              <li key={m.prNumber}>
                <Link to={href({ view: "pr", repoId, number: m.prNumber })}>#{m.prNumber}</Link>{" "}
                <span className="title">{m.title}</span>{" "}
                <span className="muted">
                  {m.authorLogin ?? "unknown"} · {age(m.createdAt)}
                </span>{" "}
                {m.state !== "OPEN" && <StateBadge state={m.state} />}
                {m.isBase && <span className="badge base-badge">base</span>}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </article>
  );
}
