import { Empty, ErrorState, Loading } from "../components/States";
import { age } from "../format";
import { useApi } from "../hooks";
import type { ScanStatus } from "../types";

/** Current and recent scans; refreshes every 2 s while one is running. */
export function ScansView() {
  const { data, error, loading, reload } = useApi<{ scans: ScanStatus[] }>("/api/ops/scans", 2000);
  if (error) return <ErrorState error={error} onRetry={reload} />;
  if (!data) return loading ? <Loading label="Loading scans…" /> : null;
  if (data.scans.length === 0)
    return (
      <Empty title="No scans yet">
        <p>
          Trigger one with <code>clawtriage trigger OWNER/REPO</code> or{" "}
          <code>POST /api/ops/public-scan</code>.
        </p>
      </Empty>
    );
  return (
    <div>
      <h1>Scans</h1>
      <ol className="scans">
        {data.scans.map((s) => (
          <li key={s.jobId} className="card">
            <ScanCard scan={s} />
          </li>
        ))}
      </ol>
    </div>
  );
}

export function ScanCard({ scan }: { scan: ScanStatus }) {
  const pct = Math.round(Math.max(0, Math.min(1, scan.progress)) * 100);
  const c = scan.counts;
  return (
    <article aria-label={`Scan of ${scan.owner}/${scan.repo}`}>
      <header>
        <h2>
          {scan.owner}/{scan.repo} <span className="muted">{scan.snapshot}</span>
        </h2>
        <span className={`badge scan-${scan.status}`}>{scan.status}</span>
      </header>
      <div className="progress">
        <progress max={100} value={pct} aria-label={`Progress ${pct}%`} />
        <span>{pct}%</span>
      </div>
      <p className="meta">
        {c.listed} open PRs listed · {c.analysed} analysed · {c.skippedUnchanged} unchanged · {c.failed} failed ·
        started {age(scan.startedAt ?? scan.createdAt)} ago
        {scan.finishedAt && ` · finished ${age(scan.finishedAt)} ago`}
      </p>
      <p className="meta">
        GitHub: {scan.github.requests} requests ({scan.github.notModified} answered 304)
        {scan.github.rateLimitRemaining !== null && ` · ${scan.github.rateLimitRemaining} left in the budget`}
      </p>
      {scan.error && (
        <p className="error-text" role="alert">
          {scan.error}
        </p>
      )}
    </article>
  );
}
