// A small client-side router over the History API: the server answers every client
// route with index.html, so deep links and reloads land here.

import { useEffect, useState } from "react";

export type Route =
  | { view: "sets"; repoId: number | null }
  | { view: "set"; repoId: number; setId: number }
  | { view: "pr"; repoId: number; number: number }
  | { view: "queue"; repoId: number | null }
  | { view: "scans" }
  | { view: "issues"; repoId: number | null }
  | { view: "issue"; repoId: number; number: number }
  | { view: "scope"; repoId: number | null }
  | { view: "notFound"; path: string };

export function parseRoute(pathname: string): Route {
  const parts = pathname.split("/").filter(Boolean);
  const id = (s: string | undefined) => (s && /^[1-9][0-9]{0,15}$/.test(s) ? Number(s) : null);
  if (parts.length === 0) return { view: "sets", repoId: null };
  if (parts[0] === "scans" && parts.length === 1) return { view: "scans" };
  if (parts[0] === "queue" && parts.length === 1) return { view: "queue", repoId: null };
  if (parts[0] === "issues" && parts.length === 1) return { view: "issues", repoId: null };
  if (parts[0] === "scope" && parts.length === 1) return { view: "scope", repoId: null };
  if (parts[0] === "repos" && id(parts[1]) !== null) {
    const repoId = id(parts[1]) as number;
    if (parts.length === 2 || (parts.length === 3 && parts[2] === "sets")) return { view: "sets", repoId };
    if (parts.length === 3 && parts[2] === "queue") return { view: "queue", repoId };
    if (parts.length === 3 && parts[2] === "issues") return { view: "issues", repoId };
    if (parts.length === 3 && parts[2] === "scope") return { view: "scope", repoId };
    if (parts.length === 4 && parts[2] === "issues" && id(parts[3]) !== null)
      return { view: "issue", repoId, number: id(parts[3]) as number };
    if (parts.length === 4 && parts[2] === "sets" && id(parts[3]) !== null)
      return { view: "set", repoId, setId: id(parts[3]) as number };
    if (parts.length === 4 && parts[2] === "prs" && id(parts[3]) !== null)
      return { view: "pr", repoId, number: id(parts[3]) as number };
  }
  return { view: "notFound", path: pathname };
}

export function href(route: Route): string {
  switch (route.view) {
    case "sets":
      return route.repoId === null ? "/" : `/repos/${route.repoId}/sets`;
    case "set":
      return `/repos/${route.repoId}/sets/${route.setId}`;
    case "pr":
      return `/repos/${route.repoId}/prs/${route.number}`;
    case "queue":
      return route.repoId === null ? "/queue" : `/repos/${route.repoId}/queue`;
    case "scans":
      return "/scans";
    case "issues":
      return route.repoId === null ? "/issues" : `/repos/${route.repoId}/issues`;
    case "issue":
      return `/repos/${route.repoId}/issues/${route.number}`;
    case "scope":
      return route.repoId === null ? "/scope" : `/repos/${route.repoId}/scope`;
    case "notFound":
      return route.path;
  }
}

export function navigate(path: string): void {
  if (path === window.location.pathname + window.location.search) return;
  window.history.pushState(null, "", path);
  window.dispatchEvent(new PopStateEvent("popstate"));
  window.scrollTo?.(0, 0);
}

export function useLocation(): string {
  const [path, setPath] = useState(() => window.location.pathname);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  return path;
}

/** Intercepts plain left clicks on internal links so they do not reload the page. */
export function onLinkClick(event: React.MouseEvent<HTMLAnchorElement>): void {
  const a = event.currentTarget;
  if (
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey ||
    a.target === "_blank" ||
    a.origin !== window.location.origin
  )
    return;
  event.preventDefault();
  navigate(a.pathname + a.search);
}
