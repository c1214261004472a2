import { describe, expect, it } from "vitest";
import { href, parseRoute, type Route } from "./router";

describe("router", () => {
  it("parses every view and round-trips through href", () => {
    const routes: Route[] = [
      { view: "sets", repoId: null },
      { view: "sets", repoId: 3 },
      { view: "set", repoId: 3, setId: 12 },
      { view: "pr", repoId: 3, number: 4512 },
      { view: "queue", repoId: 3 },
      { view: "queue", repoId: null },
      { view: "scans" },
    ];
    for (const r of routes) expect(parseRoute(href(r))).toEqual(r);
  });
  it("accepts trailing slashes and the repo root", () => {
    expect(parseRoute("/repos/3/")).toEqual({ view: "sets", repoId: 3 });
    expect(parseRoute("/scans/")).toEqual({ view: "scans" });
  });
  it("refuses malformed ids instead of guessing", () => {
    for (const path of ["/repos/0/sets", "/repos/abc", "/repos/3/sets/-1", "/repos/3/prs/1e3", "/nowhere", "/repos/3/sets/1/x"]) {
      expect(parseRoute(path).view).toBe("notFound");
    }
  });
});
