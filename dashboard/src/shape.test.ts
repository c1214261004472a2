import { describe, expect, it } from "vitest";
import { edgesOf, evidenceSections, groupLines, layoutSet, scoreRows, sidedLines } from "./shape";
import type { SetEdge, SetMember } from "./types";

const member = (n: number, isBase = false): SetMember => ({
  prNumber: n,
  title: `PR ${n}`,
  authorLogin: "dev",
  state: "OPEN",
  url: null,
  createdAt: null,
  isBase,
});
const edge = (a: number, b: number, finalScore: number): SetEdge => ({
  a,
  b,
  category: "SAME_CHANGE",
  finalScore,
  scores: {},
  evidence: {},
});

describe("layoutSet", () => {
  it("places every member once, inside the box, deterministically", () => {
    const members = [member(1, true), member(2), member(3)];
    const edges = [edge(1, 2, 0.9), edge(2, 3, 0.5)];
    const one = layoutSet(members, edges, 120);
    const two = layoutSet(members, edges, 120);
    expect(one).toEqual(two);
    expect(one.nodes.map((n) => n.number).sort()).toEqual([1, 2, 3]);
    for (const n of one.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.x).toBeLessThanOrEqual(120);
      expect(n.y).toBeGreaterThanOrEqual(0);
      expect(n.y).toBeLessThanOrEqual(120);
    }
    // Base on top for small sets; stronger edges are wider.
    expect(one.nodes[0]).toMatchObject({ number: 1, x: 60, isBase: true });
    expect(one.links[0].width).toBeGreaterThan(one.links[1].width);
  });
  it("puts the base in the centre of larger sets and drops edges to non-members", () => {
    const members = [member(1), member(2), member(3, true), member(4), member(5)];
    const { nodes, links } = layoutSet(members, [edge(3, 4, 1), edge(4, 99, 1)], 100);
    expect(nodes[0]).toEqual({ number: 3, x: 50, y: 50, isBase: true });
    expect(links).toHaveLength(1);
  });
  it("handles an empty set", () => {
    expect(layoutSet([], [])).toEqual({ nodes: [], links: [] });
  });
});

describe("evidence", () => {
  it("lists non-empty overlaps in reading order and ignores junk", () => {
    const sections = evidenceSections({
      symbols: ["retry"],
      productionPaths: ["src/a.ts"],
      exports: [],
      testNames: ["retries", 3 as unknown as string],
      unknown: ["x"],
    });
    expect(sections).toEqual([
      { title: "Production files in both", items: ["src/a.ts"] },
      { title: "Symbols", items: ["retry"] },
      { title: "Test names", items: ["retries"] },
    ]);
    expect(evidenceSections(null)).toEqual([]);
  });
  it("keeps absent signals distinct from zero", () => {
    const rows = scoreRows({ minhash: 0, tests: null });
    expect(rows.find((r) => r.signal === "minhash")?.value).toBe(0);
    expect(rows.find((r) => r.signal === "tests")?.value).toBeNull();
    expect(rows.find((r) => r.signal === "winnow")).toBeUndefined();
    expect(scoreRows({ winnow: 0.7 }).find((r) => r.signal === "winnow")?.value).toBe(0.7);
  });
  it("groups matched lines by file in first-seen order", () => {
    const files = groupLines([
      { path: "b.ts", sign: "+", text: "x" },
      { path: "a.ts", sign: "-", text: "y" },
      { path: "b.ts", sign: "+", text: "z" },
    ]);
    expect(files.map((f) => f.path)).toEqual(["b.ts", "a.ts"]);
    expect(files[0].lines).toEqual([
      { sign: "+", text: "x" },
      { sign: "+", text: "z" },
    ]);
    expect(groupLines(undefined)).toEqual([]);
  });
  it("swaps sides when the PR is the evidence's b", () => {
    const ev = { linesA: [{ path: "a", sign: "+", text: "1" }], linesB: [] };
    expect(sidedLines(ev, "a").mine).toHaveLength(1);
    expect(sidedLines(ev, "b").theirs).toHaveLength(1);
  });
  it("orders a member's edges strongest first", () => {
    const e = edgesOf(2, [edge(1, 2, 0.5), edge(2, 3, 0.9), edge(3, 4, 1)]);
    expect(e.map((x) => x.other)).toEqual([3, 1]);
  });
});
