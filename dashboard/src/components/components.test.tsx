import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ScoreBars } from "./ScoreBars";
import { TokenForm } from "./TokenForm";
import { FeedbackButtons } from "./Feedback";
import { EvidencePanel } from "./Evidence";
import { SetCard } from "../views/SetsView";
import type { DuplicateSet } from "../types";

const set: DuplicateSet = {
  setId: 7,
  state: "OPEN",
  categories: ["SAME_CHANGE"],
  maxScore: 0.97,
  memberCount: 2,
  suggestedBase: { prNumber: 10, reason: "#10 is contained in #11" },
  members: [
    { prNumber: 10, title: "Add retry", authorLogin: "ann", state: "OPEN", url: null, createdAt: null, isBase: true },
    { prNumber: 11, title: "Add retry again", authorLogin: "bob", state: "CLOSED", url: null, createdAt: null, isBase: false },
  ],
  edges: [{ a: 10, b: 11, category: "SAME_CHANGE", finalScore: 0.97, scores: {}, evidence: {} }],
  createdAt: "2026-11-20T00:00:00Z",
  updatedAt: "2026-11-20T00:00:00Z",
};

beforeEach(() => localStorage.clear());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("SetCard", () => {
  it("shows members, base with its reason, category and score", () => {
    render(<SetCard repoId={1} set={set} />);
    expect(screen.getByRole("link", { name: "Set 7: 2 PRs" }).getAttribute("href")).toBe("/repos/1/sets/7");
    expect(screen.getByText("#10 is contained in #11", { exact: false })).toBeTruthy();
    expect(screen.getByText("Same change")).toBeTruthy();
    expect(screen.getByLabelText("score 97%")).toBeTruthy();
    expect(screen.getByText("closed")).toBeTruthy();
    expect(screen.getByRole("img", { name: "Graph of 2 PRs with 1 links" })).toBeTruthy();
  });
});

describe("ScoreBars", () => {
  it("says a signal is absent rather than showing 0%", () => {
    render(<ScoreBars scores={{ minhash: 0.5, tests: null }} />);
    expect(screen.getByLabelText("Diff similarity (MinHash) 50%")).toBeTruthy();
    expect(screen.getAllByText("absent on both").length).toBeGreaterThan(0);
  });
});

describe("EvidencePanel", () => {
  it("puts both PRs' matching lines side by side, from this PR's side", () => {
    render(
      <EvidencePanel
        evidence={{
          productionPaths: ["src/retry.ts"],
          linesA: [{ path: "src/retry.ts", sign: "+", text: "export function retry() {" }],
          linesB: [{ path: "src/retry.ts", sign: "+", text: "export function retry( ) {" }],
        }}
        side="b"
        mine={11}
        theirs={10}
      />,
    );
    expect(screen.getByText("Matching lines in #11")).toBeTruthy();
    const columns = document.querySelectorAll(".diff-column");
    expect(columns[0].textContent).toContain("retry( )");
    expect(columns[1].textContent).toContain("retry() {");
  });
});

describe("TokenForm", () => {
  it("asks for a token, then says clearly when a stored one was refused", () => {
    const saved = vi.fn();
    const { unmount } = render(<TokenForm reason="bad token." onSaved={saved} />);
    expect(screen.getByRole("heading", { name: "This dashboard needs a token" })).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Dashboard token"), { target: { value: " s3cret " } });
    fireEvent.click(screen.getByRole("button", { name: "Use token" }));
    expect(localStorage.getItem("clawtriage.token")).toBe("s3cret");
    expect(saved).toHaveBeenCalledOnce();
    unmount();
    render(<TokenForm reason="the token is wrong." onSaved={saved} />);
    expect(screen.getByRole("heading", { name: "That token was not accepted" })).toBeTruthy();
    expect(screen.getByRole("alert").textContent).toContain("the token is wrong.");
    fireEvent.click(screen.getByRole("button", { name: "Forget token" }));
    expect(localStorage.getItem("clawtriage.token")).toBeNull();
  });
});

describe("FeedbackButtons", () => {
  it("posts the decision with the token and shows it", async () => {
    localStorage.setItem("clawtriage.token", "tok");
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ saved: true, feedbackId: "x" }), { status: 201 }));
    vi.stubGlobal("fetch", fetchMock);
    const onSaved = vi.fn();
    render(<FeedbackButtons repoId={3} pr={{ number: 10, headSha: "abc" }} other={{ number: 11 }} onSaved={onSaved} />);
    fireEvent.click(screen.getByRole("button", { name: "Confirm duplicate" }));
    await waitFor(() => expect(screen.getByRole("status").textContent).toContain("#10 and #11 are duplicates"));
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/repos/3/feedback");
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer tok");
    expect(JSON.parse(init.body as string)).toMatchObject({ prNumber: 10, headSha: "abc", candidatePrNumber: 11, decision: "DUPLICATE" });
    expect(onSaved).toHaveBeenCalledOnce();
  });
  it("explains a server without write access", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () =>
        new Response(JSON.stringify({ error: { code: "writes_disabled", message: "no token" } }), { status: 403 }),
      ),
    );
    render(<FeedbackButtons repoId={3} pr={{ number: 10 }} other={{ number: 11 }} onSaved={() => {}} />);
    fireEvent.click(screen.getByRole("button", { name: "Not a duplicate" }));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("Feedback is turned off"));
  });
  it("asks for a token on 401", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response(JSON.stringify({ error: { code: "unauthorized", message: "token needed." } }), { status: 401 })),
    );
    render(<FeedbackButtons repoId={3} pr={{ number: 10 }} other={{ number: 11 }} onSaved={() => {}} />);
    fireEvent.click(screen.getByRole("button", { name: "Keep #11 as base" }));
    await waitFor(() => expect(screen.getByRole("heading", { name: "This dashboard needs a token" })).toBeTruthy());
  });
});
