import { Link } from "./components/Link";
import { Empty, ErrorState, Loading } from "./components/States";
import { useApi } from "./hooks";
import { href, navigate, parseRoute, useLocation, type Route } from "./router";
import type { Repo } from "./types";
import { IssueView } from "./views/IssueView";
import { IssuesView } from "./views/IssuesView";
import { PrView } from "./views/PrView";
import { QueueView } from "./views/QueueView";
import { ScansView } from "./views/ScansView";
import { ScopeView } from "./views/ScopeView";
import { SetView } from "./views/SetView";
import { SetsView } from "./views/SetsView";

export function App() {
  const route = parseRoute(useLocation());
  const repos = useApi<{ repos: Repo[] }>("/api/repos");
  const list = repos.data?.repos ?? [];
  const repoId = "repoId" in route && route.repoId !== null ? route.repoId : (list[0]?.repoId ?? null);
  const repo = list.find((r) => r.repoId === repoId) ?? null;

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          clawtriage
        </Link>
        {list.length > 1 ? (
          <label className="repo-pick">
            <span className="sr-only">Repository</span>
            <select
              value={repoId ?? ""}
              onChange={(e) => navigate(href({ view: "sets", repoId: Number(e.target.value) }))}
            >
              {list.map((r) => (
                <option key={r.repoId} value={r.repoId}>
                  {r.owner}/{r.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          repo && (
            <span className="repo-name">
              {repo.owner}/{repo.name}
            </span>
          )
        )}
        <nav aria-label="Views">
          <NavLink route={{ view: "sets", repoId }} current={route} label="Duplicate sets" />
          <NavLink route={{ view: "queue", repoId }} current={route} label="Triage queue" />
          <NavLink route={{ view: "issues", repoId }} current={route} label="Issues" />
          <NavLink route={{ view: "scope", repoId }} current={route} label="Scope" />
          <NavLink route={{ view: "scans" }} current={route} label="Scans" />
        </nav>
      </header>
      <main id="main">
        {repos.error && route.view !== "scans" ? (
          <ErrorState error={repos.error} onRetry={repos.reload} />
        ) : (
          <Body route={route} repoId={repoId} reposLoaded={repos.data !== null} repo={repo} />
        )}
      </main>
    </>
  );
}

function NavLink({ route, current, label }: { route: Route; current: Route; label: string }) {
  const active =
    route.view === current.view ||
    (route.view === "sets" && (current.view === "set" || current.view === "pr")) ||
    (route.view === "issues" && current.view === "issue");
  return (
    <a
      href={href(route)}
      aria-current={active ? "page" : undefined}
      onClick={(e) => {
        e.preventDefault();
        navigate(href(route));
      }}
    >
      {label}
    </a>
  );
}

function Body({
  route,
  repoId,
  reposLoaded,
  repo,
}: {
  route: Route;
  repoId: number | null;
  reposLoaded: boolean;
  repo: Repo | null;
}) {
  switch (route.view) {
    case "scans":
      return <ScansView />;
    case "set":
      return <SetView key={`${route.repoId}-${route.setId}`} repoId={route.repoId} setId={route.setId} />;
    case "pr":
      return <PrView key={`${route.repoId}-${route.number}`} repoId={route.repoId} number={route.number} />;
    case "issue":
      return <IssueView key={`${route.repoId}-${route.number}`} repoId={route.repoId} number={route.number} />;
    case "notFound":
      return (
        <Empty title="Page not found">
          <p>
            Nothing lives at <code>{route.path}</code>. <Link to="/">Go to the duplicate sets</Link>.
          </p>
        </Empty>
      );
    case "sets":
    case "queue":
    case "issues":
    case "scope":
      if (!reposLoaded) return <Loading label="Loading repositories…" />;
      if (repoId === null)
        return (
          <Empty title="No repository scanned yet">
            <p>
              Trigger a scan with <code>clawtriage trigger OWNER/REPO</code>; its duplicate sets appear here.
            </p>
          </Empty>
        );
      if (!repo)
        return (
          <Empty title="Unknown repository">
            <p>
              There is no repository {repoId}. <Link to="/">Go to the first one</Link>.
            </p>
          </Empty>
        );
      switch (route.view) {
        case "sets":
          return <SetsView key={repoId} repoId={repoId} />;
        case "queue":
          return <QueueView key={repoId} repoId={repoId} />;
        case "issues":
          return <IssuesView key={repoId} repoId={repoId} />;
        case "scope":
          return <ScopeView key={repoId} repoId={repoId} />;
      }
  }
}
