import { useEffect, useState } from "react";
import { ApiError, getJson, query } from "../api";
import { CategoryBadge } from "../components/Badges";
import { Link } from "../components/Link";
import { Empty, ErrorState, Loading } from "../components/States";
import { age, percent } from "../format";
import { href } from "../router";
import type { QueueItem, QueuePage } from "../types";

/** PRs that need a decision, strongest candidate first. */
export function QueueView({ repoId }: { repoId: number }) {
  const [needsReview, setNeedsReview] = useState(true);
  const [items, setItems] = useState<QueueItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  const path = (c?: string | null) =>
    `/api/repos/${repoId}/triage-queue` + query({ needsReview: String(needsReview), limit: 50, cursor: c });

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    getJson<QueuePage>(path())
      .then((page) => {
        if (!live) return;
        setItems(page.items);
        setCursor(page.nextCursor);
      })
      .catch((err) => live && setError(err))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [repoId, needsReview, tick]);

  return (
    <div>
      <h1>Triage queue</h1>
      <label className="check">
        <input type="checkbox" checked={needsReview} onChange={(e) => setNeedsReview(e.target.checked)} /> Only PRs
        that need a decision
      </label>
      {error ? (
        <ErrorState error={error} onRetry={() => setTick((t) => t + 1)} />
      ) : loading && items.length === 0 ? (
        <Loading label="Loading the queue…" />
      ) : items.length === 0 ? (
        <Empty title="Nothing to triage">
          <p>Every open PR with a strong candidate has a decision.</p>
        </Empty>
      ) : (
        <>
          <table className="table">
            <caption className="sr-only">Open PRs by strongest candidate</caption>
            <thead>
              <tr>
                <th scope="col">PR</th>
                <th scope="col">Title</th>
                <th scope="col">Strongest candidate</th>
                <th scope="col">Analysis</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.prNumber}>
                  <td>
                    <Link to={href({ view: "pr", repoId, number: i.prNumber })}>#{i.prNumber}</Link>
                  </td>
                  <td>{i.title}</td>
                  <td>
                    {i.topSuggestion ? (
                      <>
                        #{i.topSuggestion.candidatePrNumber}{" "}
                        {i.topSuggestion.category && <CategoryBadge category={i.topSuggestion.category} />}{" "}
                        {percent(i.topSuggestion.score)}
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td>{i.analysisStatus.toLowerCase()}</td>
                  <td>{age(i.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {cursor && (
            <button
              type="button"
              className="more"
              disabled={loading}
              onClick={async () => {
                setLoading(true);
                try {
                  const page = await getJson<QueuePage>(path(cursor));
                  setItems((old) => [...old, ...page.items]);
                  setCursor(page.nextCursor);
                } catch (err) {
                  setError(err as ApiError);
                } finally {
                  setLoading(false);
                }
              }}
            >
              Show more
            </button>
          )}
        </>
      )}
    </div>
  );
}
