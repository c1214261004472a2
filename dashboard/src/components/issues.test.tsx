import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { IssueEvidencePanel, LinkEvidencePanel } from "./IssueEvidence";
import { LinkedIssuesPanel } from "./LinkList";
import { ScopePanel } from "./ScopePanel";
import { IssueBody } from "../views/IssueView";
import { IssuesView } from "../views/IssuesView";
import { ScopeView } from "../views/ScopeView";
import type { IssueItem, IssueLink, IssuePage, ScopePage, ScopeReason } from "../types";

beforeEach(() => localStorage.clear());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

const reason = (direction: string, message: string, extra: Partial<ScopeReason> = {}): ScopeReason => ({
  kind: "PATH_RULE",
  direction,
  weight: 1,
  source: "vision § Out of scope",
  rule: "vendor/**",
  matched: ["vendor/lib/a.js"],
  message,
  ...extra,
});

describe("IssueBody", () => {
  it("shows the author's text as text, never as HTML", () => {
    const { container } = render(<IssueBody body={'<script>alert("x")</script>\n<img src=x onerror=alert(1)>'} />);
    expect(container.querySelector("script")).toBeNull();
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("pre")?.textContent).toContain('<script>alert("x")</script>');
  });
  it("folds long text until asked, and says when there is none", () => {
    const body = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join("\n");
    render(<IssueBody body={body} />);
    expect(screen.queryByText(/line 50/)).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Show all 50 lines" }));
    expect(screen.getByText(/line 50/)).toBeTruthy();
    cleanup();
    render(<IssueBody body={"  \n"} />);
    expect(screen.getByText("The issue has no description.")).toBeTruthy();
  });
});

describe("IssueEvidencePanel", () => {
  it("shows shared error lines, frames, terms by kind and the title similarity", () => {
    render(
      <IssueEvidencePanel
        evidence={{
          sharedErrors: ["typeerror: cannot read properties of undefined"],
          sharedFrames: [{ function: "getinvoicetotals", file: "services/billing" }],
          sharedTerms: [
            { kind: "ERROR", text: "typeerror: cannot read properties of undefined", weight: 0.07 },
            { kind: "IDENTIFIER", text: "get_invoice_totals", weight: 0.12 },
            { kind: "WORD", text: "invoic", weight: 0.05 },
          ],
          titleSimilarity: 0.11,
        }}
      />,
    );
    expect(screen.getByRole("heading", { name: "Shared error lines" })).toBeTruthy();
    expect(screen.getByText("getinvoicetotals @ services/billing")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Identifiers" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Words" })).toBeTruthy();
    // The error line has its own section; its term is not repeated.
    expect(screen.queryByRole("heading", { name: "Error lines" })).toBeNull();
    expect(screen.getAllByText("typeerror: cannot read properties of undefined")).toHaveLength(1);
    expect(screen.getByText("11%")).toBeTruthy();
    expect(screen.getByLabelText("weight 100% of the strongest")).toBeTruthy();
  });
  it("says when nothing was recorded", () => {
    render(<IssueEvidencePanel evidence={{}} />);
    expect(screen.getByText("No shared error lines, frames or terms recorded.")).toBeTruthy();
  });
});

describe("LinkedIssuesPanel", () => {
  const link = (issueNumber: number, kind: string, evidence: IssueLink["evidence"]): IssueLink => ({
    prNumber: 6,
    prTitle: "Add filter",
    prState: "OPEN",
    issueNumber,
    issueTitle: `Issue ${issueNumber}`,
    issueState: issueNumber === 1008 ? "CLOSED" : "OPEN",
    kind,
    score: kind === "EXPLICIT" ? 1 : 0.6,
    evidence,
  });
  it("lists stated links first with their kind, and opens the evidence", () => {
    render(
      <LinkedIssuesPanel
        repoId={2}
        links={[
          link(1008, "SUGGESTED", { similarity: 0.6, sharedIdentifiers: ["filter_ticket_history"] }),
          link(1007, "EXPLICIT", { references: ["closes #1007"] }),
        ]}
      />,
    );
    expect(screen.getByText("1 referenced, 1 suggested")).toBeTruthy();
    const items = screen.getAllByRole("listitem").filter((li) => li.classList.contains("link-card"));
    expect(within(items[0]).getByText("Closes")).toBeTruthy();
    expect(within(items[1]).getByText("Suggested")).toBeTruthy();
    expect(within(items[1]).getByText("closed")).toBeTruthy();
    expect(screen.getByText("closes #1007")).toBeTruthy();
    expect(screen.getAllByRole("link", { name: "open" })[0].getAttribute("href")).toBe("/repos/2/issues/1007");
    fireEvent.click(screen.getByRole("button", { name: "#1008 Issue 1008" }));
    expect(screen.getByText("filter_ticket_history")).toBeTruthy();
    expect(screen.queryByText("closes #1007")).toBeNull();
  });
  it("says when there is none", () => {
    render(<LinkedIssuesPanel repoId={2} links={[]} />);
    expect(screen.getByText(/references no issue/)).toBeTruthy();
  });
  it("link evidence shows references and similarity", () => {
    render(<LinkEvidencePanel evidence={{ references: ["fixes #12"], similarity: 0.31 }} />);
    expect(screen.getByRole("heading", { name: "References" })).toBeTruthy();
    expect(screen.getByText("31%")).toBeTruthy();
  });
});

describe("ScopePanel", () => {
  it("is labelled assist-only and shows each reason's source, rule and matches", () => {
    render(
      <ScopePanel
        scope={{
          verdict: "OUT_OF_SCOPE",
          confidence: 0.73,
          reasons: [
            reason("IN", "matches src/**", { rule: "src/**", matched: ["src/a.ts"] }),
            reason("OUT", "changes vendored code"),
            reason("NEUTRAL", "changes a manifest", { kind: "POLICY", rule: null, weight: 0 }),
            reason("UNCERTAIN", "adds dependencies: vue", { kind: "POLICY", matched: ["vue"] }),
          ],
        }}
      />,
    );
    expect(screen.getByRole("note").textContent).toMatch(/Assist only/);
    expect(screen.getByText("Out of scope")).toBeTruthy();
    expect(screen.getByText("confidence 73%")).toBeTruthy();
    const shown = screen.getAllByRole("listitem").map((li) => li.querySelector(".reason-message")?.textContent);
    expect(shown).toEqual(["changes vendored code", "adds dependencies: vue", "matches src/**"]);
    expect(screen.getAllByText(/Source: vision § Out of scope/).length).toBeGreaterThan(0);
    expect(screen.getByText("vendor/lib/a.js")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Show all 4 reasons" }));
    expect(screen.getByText("changes a manifest")).toBeTruthy();
  });
  it("says when there is no verdict yet", () => {
    render(<ScopePanel scope={null} />);
    expect(screen.getByText(/No verdict for the current head yet/)).toBeTruthy();
    expect(screen.getByRole("note").textContent).toMatch(/Assist only/);
  });
});

const issue = (issueNumber: number, duplicates: number[] = [], state = "OPEN"): IssueItem => ({
  issueNumber,
  title: `Problem ${issueNumber}`,
  state,
  stateReason: null,
  labels: ["bug"],
  authorLogin: "ann",
  createdAt: null,
  htmlUrl: null,
  analysisStatus: "ANALYSED",
  duplicateCount: duplicates.length,
  duplicates,
  relatedCount: 1,
  linkedPrCount: issueNumber === 1001 ? 2 : 0,
});

describe("IssuesView", () => {
  it("shows duplicate groups first, then the other issues, and refetches on a filter", async () => {
    const page: IssuePage = {
      items: [issue(1003, [1001]), issue(1001, [1003, 1010]), issue(1009), issue(1004)],
      nextCursor: null,
    };
    const fetchMock = vi.fn(async () => json(page));
    vi.stubGlobal("fetch", fetchMock);
    render(<IssuesView repoId={4} />);
    const group = await screen.findByRole("article", { name: "3 issues reporting the same problem" });
    expect(within(group).getByText("first report")).toBeTruthy();
    expect(within(group).getAllByRole("link").map((a) => a.getAttribute("href"))).toContain("/repos/4/issues/1010");
    expect(within(group).getByText("2 linked PRs")).toBeTruthy();
    const rows = screen.getAllByRole("row").slice(1);
    expect(rows.map((r) => r.querySelector("a")?.textContent)).toEqual(["#1009", "#1004"]);
    expect((fetchMock.mock.calls[0] as unknown as [string])[0]).toBe("/api/repos/4/issues?limit=100");
    fireEvent.click(screen.getByLabelText("Only issues with duplicates"));
    await waitFor(() =>
      expect((fetchMock.mock.calls.at(-1) as unknown as [string])[0]).toBe("/api/repos/4/issues?duplicates=true&limit=100"),
    );
  });
  it("has an empty state and an error state", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => json({ items: [], nextCursor: null })));
    render(<IssuesView repoId={4} />);
    expect(await screen.findByRole("heading", { name: "No issues" })).toBeTruthy();
    cleanup();
    vi.stubGlobal("fetch", vi.fn(async () => json({ error: { code: "not_found", message: "no repository with id 4" } }, 404)));
    render(<IssuesView repoId={4} />);
    expect((await screen.findByRole("alert")).textContent).toContain("no repository with id 4");
  });
});

describe("ScopeView", () => {
  it("lists PRs with their verdict and top reasons, and the vision document", async () => {
    const page: ScopePage = {
      vision: { path: "VISION.md", present: true, fetchedAt: null },
      counts: { outOfScope: 1, uncertain: 0, inScope: 5, notJudged: 2 },
      items: [
        {
          prNumber: 305,
          title: "Relicense",
          authorLogin: "tom",
          headSha: "abc",
          updatedAt: null,
          verdict: "OUT_OF_SCOPE",
          confidence: 0.73,
          reasons: [reason("IN", "in"), reason("OUT", "changes the license"), reason("OUT", "mentions relicensing")],
        },
      ],
      nextCursor: null,
    };
    vi.stubGlobal("fetch", vi.fn(async () => json(page)));
    render(<ScopeView repoId={4} />);
    const link = await screen.findByRole("link", { name: "#305 Relicense" });
    expect(link.getAttribute("href")).toBe("/repos/4/prs/305");
    expect(screen.getByText("changes the license")).toBeTruthy();
    expect(screen.getByText("mentions relicensing")).toBeTruthy();
    expect(screen.queryByText("in")).toBeNull();
    expect(screen.getByText(/1 more reason on/)).toBeTruthy();
    expect(screen.getByText(/1 out of scope · 0 uncertain · 5 in\s+scope/)).toBeTruthy();
    expect(screen.getByText("VISION.md")).toBeTruthy();
    expect(screen.getAllByRole("note")[0].textContent).toMatch(/Assist only/);
  });
  it("explains a repository without a vision document", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () =>
        json({
          vision: { path: "VISION.md", present: false, fetchedAt: null },
          counts: { outOfScope: 0, uncertain: 0, inScope: 0, notJudged: 0 },
          items: [],
          nextCursor: null,
        }),
      ),
    );
    render(<ScopeView repoId={4} />);
    expect(await screen.findByRole("heading", { name: "Nothing to look at" })).toBeTruthy();
    expect(screen.getByText(/has no/).textContent).toMatch(/only path rules and policies/);
  });
});
