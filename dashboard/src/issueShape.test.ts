import { describe, expect, it } from "vitest";
import { href, parseRoute, type Route } from "./router";
import {
  frameText,
  issueCategoryLabel,
  linkKindLabel,
  reasonKindLabel,
  termKindLabel,
  valueClass,
  verdictLabel,
} from "./issueFormat";
import {
  issueEvidenceSections,
  issueGroups,
  issueScoreRows,
  issuesPath,
  linkEvidenceSections,
  scopePath,
  splitLinks,
  termGroups,
  topReasons,
} from "./issueShape";
import type { IssueItem, IssueLink, ScopeReason } from "./types";

const item = (issueNumber: number, duplicates: number[] = []): IssueItem => ({
  issueNumber,
  title: `Problem ${issueNumber}`,
  state: "OPEN",
  stateReason: null,
  labels: [],
  authorLogin: null,
  createdAt: null,
  htmlUrl: null,
  analysisStatus: "ANALYSED",
  duplicateCount: duplicates.length,
  duplicates,
  relatedCount: 0,
  linkedPrCount: 0,
});

describe("issue routes", () => {
  it("parse and round-trip through href", () => {
    const routes: Route[] = [
      { view: "issues", repoId: 3 },
      { view: "issues", repoId: null },
      { view: "issue", repoId: 3, number: 1227 },
      { view: "scope", repoId: 3 },
      { view: "scope", repoId: null },
    ];
    for (const r of routes) expect(parseRoute(href(r))).toEqual(r);
    expect(parseRoute("/repos/3/issues/")).toEqual({ view: "issues", repoId: 3 });
  });
  it("refuse malformed issue numbers", () => {
    for (const path of ["/repos/3/issues/0", "/repos/3/issues/x", "/repos/3/issues/1/y", "/repos/3/scope/1"]) {
      expect(parseRoute(path).view).toBe("notFound");
    }
  });
});

describe("issueGroups", () => {
  it("joins issues connected by duplicates, first report first, in list order", () => {
    // Newest first, as the API lists them: 1247↔1244, and 1245/1234 → 1227 (a chain).
    const items = [item(1247, [1244]), item(1245, [1227]), item(1244, [1247]), item(1234, [1227]), item(1227, [1234, 1245, 1248]), item(1100)];
    const { groups, rest } = issueGroups(items);
    expect(groups.map((g) => g.members.map((m) => m.issueNumber))).toEqual([
      [1244, 1247],
      [1227, 1234, 1245],
    ]);
    expect(groups[0].outside).toEqual([]);
    // 1248 is closed (filtered out): named, not lost.
    expect(groups[1].outside).toEqual([1248]);
    expect(rest.map((i) => i.issueNumber)).toEqual([1100]);
  });
  it("keeps an issue whose only duplicate is not listed as a group of one", () => {
    const { groups, rest } = issueGroups([item(5, [1])]);
    expect(groups).toEqual([{ members: [item(5, [1])], outside: [1] }]);
    expect(rest).toEqual([]);
    expect(issueGroups([])).toEqual({ groups: [], rest: [] });
  });
});

describe("evidence shaping", () => {
  it("groups shared terms by kind, errors first, strongest first, unknown kinds last", () => {
    const groups = termGroups(
      [
        { kind: "WORD", text: "invoic", weight: 0.05 },
        { kind: "WORD", text: "line", weight: 0.2 },
        { kind: "NEWKIND", text: "x", weight: 1 },
        { kind: "ERROR", text: "typeerror: boom", weight: 0.07 },
        { kind: "IDENTIFIER", text: "get_invoice_totals", weight: 0.1 },
      ],
      1,
    );
    expect(groups.map((g) => [g.title, g.terms.map((t) => t.text)])).toEqual([
      ["Error lines", ["typeerror: boom"]],
      ["Identifiers", ["get_invoice_totals"]],
      ["Words", ["line"]],
      ["newkind", ["x"]],
    ]);
    expect(termGroups(undefined)).toEqual([]);
    expect(termGroups([{ kind: "ERROR", text: "e", weight: 1 }], 8, ["ERROR"])).toEqual([]);
  });
  it("lists shared error lines and frames, and link references before names", () => {
    expect(
      issueEvidenceSections({
        sharedErrors: ["typeerror: x"],
        sharedFrames: [{ function: "getinvoicetotals", file: "services/billing" }],
        sharedTerms: [],
        titleSimilarity: 0.1,
      }),
    ).toEqual([
      { title: "Shared error lines", items: ["typeerror: x"] },
      { title: "Shared stack frames", items: ["getinvoicetotals @ services/billing"] },
    ]);
    expect(issueEvidenceSections({})).toEqual([]);
    expect(issueEvidenceSections(null)).toEqual([]);
    expect(
      linkEvidenceSections({
        references: ["closes #1007"],
        issuePathsTouched: ["src/services/users.ts"],
        sharedIdentifiers: [],
        similarity: 0.3,
      }).map((s) => s.title),
    ).toEqual(["References", "Issue's paths the PR changes"]);
  });
  it("issue score rows say absent rather than 0", () => {
    const rows = issueScoreRows({ terms: 0.47, frames: null, specificShare: 0.77, sharedFacts: 8 });
    expect(rows.map((r) => [r.signal, r.value])).toEqual([
      ["terms", 0.47],
      ["frames", null],
      ["specificShare", 0.77],
    ]);
  });
});

describe("topReasons", () => {
  const reason = (direction: string, weight: number, message = direction): ScopeReason => ({
    kind: "VISION_KEYWORD",
    direction,
    weight,
    source: "vision",
    message,
  });
  it("puts the reasons pushing the verdict's way first, heaviest first", () => {
    const reasons = [reason("IN", 1, "in"), reason("NEUTRAL", 0), reason("OUT", 0.3, "weak out"), reason("OUT", 1, "strong out"), reason("UNCERTAIN", 1)];
    expect(topReasons(reasons, "OUT_OF_SCOPE", 3).map((r) => r.message)).toEqual(["strong out", "weak out", "UNCERTAIN"]);
    expect(topReasons(reasons, "UNCERTAIN", 2).map((r) => r.message)).toEqual(["UNCERTAIN", "strong out"]);
    expect(topReasons(reasons, "IN_SCOPE", 1).map((r) => r.message)).toEqual(["in"]);
    expect(topReasons(null, "IN_SCOPE")).toEqual([]);
  });
});

describe("paths and links", () => {
  it("sends only non-default filters", () => {
    expect(issuesPath(3, { state: "OPEN", duplicatesOnly: false })).toBe("/api/repos/3/issues?limit=100");
    expect(issuesPath(3, { state: "ALL", duplicatesOnly: true }, "ab")).toBe(
      "/api/repos/3/issues?state=all&duplicates=true&limit=100&cursor=ab",
    );
    expect(scopePath(3, ["UNCERTAIN", "OUT_OF_SCOPE"])).toBe("/api/repos/3/scope?limit=50");
    expect(scopePath(3, ["IN_SCOPE", "OUT_OF_SCOPE"], "c")).toBe("/api/repos/3/scope?verdict=OUT_OF_SCOPE%2CIN_SCOPE&limit=50&cursor=c");
  });
  it("splits stated links from suggestions", () => {
    const link = (kind: string, issueNumber: number) => ({ kind, issueNumber }) as IssueLink;
    const { stated, suggested } = splitLinks([link("SUGGESTED", 1), link("EXPLICIT", 2), link("BRANCH", 3)]);
    expect(stated.map((l) => l.issueNumber)).toEqual([2, 3]);
    expect(suggested.map((l) => l.issueNumber)).toEqual([1]);
  });
});

describe("issue formatting", () => {
  it("names kinds for people and keeps unknown ones readable", () => {
    expect(verdictLabel("OUT_OF_SCOPE")).toBe("Out of scope");
    expect(verdictLabel("SOMETHING_ELSE")).toBe("something else");
    expect(verdictLabel(null)).toBe("—");
    expect(linkKindLabel("EXPLICIT")).toBe("Closes");
    expect(issueCategoryLabel("DUPLICATE")).toBe("Duplicate");
    expect(reasonKindLabel("PATH_RULE")).toBe("Path rule");
    expect(termKindLabel("FRAME")).toBe("Stack frames");
    expect(valueClass("verdict", "OUT_OF_SCOPE")).toBe("verdict-out-of-scope");
    expect(frameText({ function: "handleInvoice", file: "api/router" })).toBe("handleInvoice @ api/router");
    expect(frameText({ function: "main", file: "" })).toBe("main");
  });
});
