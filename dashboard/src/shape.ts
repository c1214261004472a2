// Data shaping for the views: graph layout, evidence sections, score rows, diff lines.

import type { Evidence, MatchedLine, Scores, SetEdge, SetMember } from "./types";

export interface GraphNode {
  number: number;
  x: number;
  y: number;
  isBase: boolean;
}

export interface GraphLink {
  a: GraphNode;
  b: GraphNode;
  score: number;
  width: number;
  category: string;
}

/**
 * Members on a circle (the base at the top, or in the centre for larger sets), edges
 * as links whose width grows with the score. Deterministic, so screenshots are stable.
 */
export function layoutSet(
  members: SetMember[],
  edges: SetEdge[],
  size = 120,
): { nodes: GraphNode[]; links: GraphLink[] } {
  const centre = size / 2;
  const radius = size / 2 - 14;
  const base = members.find((m) => m.isBase);
  const ring = members.length > 4 && base ? members.filter((m) => m !== base) : members;
  const nodes: GraphNode[] = [];
  if (ring !== members && base) {
    nodes.push({ number: base.prNumber, x: centre, y: centre, isBase: true });
  }
  ring.forEach((m, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, ring.length);
    nodes.push({
      number: m.prNumber,
      x: round(centre + radius * Math.cos(angle)),
      y: round(centre + radius * Math.sin(angle)),
      isBase: m.isBase,
    });
  });
  const byNumber = new Map(nodes.map((n) => [n.number, n]));
  const links: GraphLink[] = [];
  for (const e of edges) {
    const a = byNumber.get(e.a);
    const b = byNumber.get(e.b);
    if (!a || !b) continue;
    links.push({ a, b, score: e.finalScore, width: round(1 + 5 * clamp01(e.finalScore)), category: e.category });
  }
  return { nodes, links };
}

export interface EvidenceSection {
  title: string;
  items: string[];
}

const SECTIONS: [keyof Evidence, string][] = [
  ["productionPaths", "Production files in both"],
  ["exports", "Exports"],
  ["symbols", "Symbols"],
  ["imports", "Imports"],
  ["testSuites", "Test suites"],
  ["testNames", "Test names"],
  ["testMatchers", "Matchers"],
  ["testImports", "Code under test"],
  ["docHeadings", "Doc headings"],
  ["docFences", "Code fences"],
  ["docRefs", "Doc references"],
  ["issueRefs", "Shared issue references"],
  ["overlappingProductionPaths", "Production files in both"],
];

/** The non-empty overlaps of an edge, in reading order. */
export function evidenceSections(evidence: Evidence | null | undefined): EvidenceSection[] {
  if (!evidence) return [];
  const sections: EvidenceSection[] = [];
  for (const [key, title] of SECTIONS) {
    const value = evidence[key];
    if (Array.isArray(value) && value.length > 0) {
      const items = value.filter((v): v is string => typeof v === "string");
      if (items.length > 0) sections.push({ title, items });
    }
  }
  return sections;
}

export interface ScoreRow {
  signal: string;
  label: string;
  value: number | null;
}

const SIGNALS: [string, string][] = [
  ["minhash", "Diff similarity (MinHash)"],
  ["jaccard", "Diff similarity (exact)"],
  ["winnow", "Rewrite similarity"],
  ["exports", "Exports"],
  ["symbols", "Symbols"],
  ["files", "Files"],
  ["imports", "Imports"],
  ["prod", "Production score"],
  ["tests", "Tests"],
  ["docs", "Docs"],
  ["issueRefs", "Issue references"],
];

/** Every signal, with `null` for one absent on both sides (not a match, not a miss). */
export function scoreRows(scores: Scores | null | undefined): ScoreRow[] {
  const rows: ScoreRow[] = [];
  for (const [signal, label] of SIGNALS) {
    const raw = scores?.[signal];
    if (signal === "winnow" && (raw === undefined || raw === null)) continue;
    rows.push({ signal, label, value: typeof raw === "number" ? raw : null });
  }
  return rows;
}

export interface DiffFile {
  path: string;
  lines: { sign: string; text: string }[];
}

/** Groups matched lines by file, keeping the order in which files first appear. */
export function groupLines(lines: MatchedLine[] | null | undefined): DiffFile[] {
  const files: DiffFile[] = [];
  const byPath = new Map<string, DiffFile>();
  for (const line of lines ?? []) {
    let file = byPath.get(line.path);
    if (!file) {
      file = { path: line.path, lines: [] };
      byPath.set(line.path, file);
      files.push(file);
    }
    file.lines.push({ sign: line.sign, text: line.text });
  }
  return files;
}

/** The evidence seen from `side`: "mine" and "theirs" lines swapped when this PR is `b`. */
export function sidedLines(
  evidence: Evidence,
  side: "a" | "b",
): { mine: MatchedLine[]; theirs: MatchedLine[] } {
  const a = evidence.linesA ?? [];
  const b = evidence.linesB ?? [];
  return side === "a" ? { mine: a, theirs: b } : { mine: b, theirs: a };
}

/** Edges touching `number`, strongest first, as (other, edge) pairs. */
export function edgesOf(number: number, edges: SetEdge[]): { other: number; edge: SetEdge }[] {
  return edges
    .filter((e) => e.a === number || e.b === number)
    .map((edge) => ({ other: edge.a === number ? edge.b : edge.a, edge }))
    .sort((x, y) => y.edge.finalScore - x.edge.finalScore || x.other - y.other);
}

function clamp01(v: number): number {
  return Math.max(0, Math.min(1, v));
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
