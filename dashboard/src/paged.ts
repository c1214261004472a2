import { useCallback, useEffect, useState } from "react";
import { ApiError, getJson } from "./api";

export interface Paged<P, T> {
  items: T[];
  /** The last page's answer (for fields beside the items, like counts). */
  page: P | null;
  hasMore: boolean;
  loading: boolean;
  error: ApiError | null;
  loadMore: () => void;
  reload: () => void;
}

/**
 * A cursor-paged list: `path(cursor)` builds the URL; `key` names what the list
 * depends on (filters), so a change starts over from the first page.
 */
export function usePaged<P extends { nextCursor: string | null }, T>(
  path: (cursor: string | null) => string,
  pick: (page: P) => T[],
  key: string,
): Paged<P, T> {
  const [items, setItems] = useState<T[]>([]);
  const [page, setPage] = useState<P | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    getJson<P>(path(null))
      .then((p) => {
        if (!live) return;
        setItems(pick(p));
        setPage(p);
      })
      .catch((err: unknown) => live && setError(asApiError(err)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
    // `path` and `pick` are rebuilt on every render; `key` says when they change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, tick]);

  const cursor = page?.nextCursor ?? null;
  const loadMore = useCallback(async () => {
    if (!cursor) return;
    setLoading(true);
    try {
      const next = await getJson<P>(path(cursor));
      setItems((old) => [...old, ...pick(next)]);
      setPage(next);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cursor, key]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { items, page, hasMore: cursor !== null, loading, error, loadMore, reload };
}

function asApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError(0, "client", String(err));
}
