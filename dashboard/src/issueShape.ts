// Data shaping for the issue views: duplicate groups, evidence sections, score rows,
// the reasons worth showing first, and the API paths with their filters.

import { query } from "./api";
import { TERM_KINDS, frameText, termKindLabel } from "./issueFormat";
import type { EvidenceSection, ScoreRow } from "./shape";
import type {
  IssueEvidence,
  IssueItem,
  IssueLink,
  IssueScores,
  LinkEvidence,
  ScopeReason,
  SharedTerm,
} from "./types";

export interface IssueGroup {
  /** Loaded issues of the group, oldest (the first report) first. */
  members: IssueItem[];
  /** Duplicates named by members but not in the list (another state, a later page). */
  outside: number[];
}

/**
 * Issues with duplicates gathered into groups (connected by DUPLICATE edges), in the
 * order their first member appears; the issues without duplicates are the rest, in
 * list order.
 */
export function issueGroups(items: IssueItem[]): { groups: IssueGroup[]; rest: IssueItem[] } {
  const parent = new Map<number, number>();
  const find = (n: number): number => {
    let root = n;
    while (parent.get(root) !== root) root = parent.get(root) as number;
    parent.set(n, root);
    return root;
  };
  const listed = new Set(items.map((i) => i.issueNumber));
  const withDuplicates = items.filter((i) => i.duplicates.length > 0);
  for (const i of withDuplicates) parent.set(i.issueNumber, i.issueNumber);
  for (const i of withDuplicates) {
    for (const d of i.duplicates) {
      if (!parent.has(d)) continue;
      const a = find(i.issueNumber);
      const b = find(d);
      if (a !== b) parent.set(b, a);
    }
  }
  const byRoot = new Map<number, IssueItem[]>();
  const order: number[] = [];
  for (const i of withDuplicates) {
    const root = find(i.issueNumber);
    if (!byRoot.has(root)) {
      byRoot.set(root, []);
      order.push(root);
    }
    (byRoot.get(root) as IssueItem[]).push(i);
  }
  const groups = order.map((root) => {
    const members = [...(byRoot.get(root) as IssueItem[])].sort((a, b) => a.issueNumber - b.issueNumber);
    const outside = new Set<number>();
    for (const m of members) for (const d of m.duplicates) if (!listed.has(d)) outside.add(d);
    return { members, outside: [...outside].sort((a, b) => a - b) };
  });
  return { groups, rest: items.filter((i) => i.duplicates.length === 0) };
}

export interface TermGroup {
  kind: string;
  title: string;
  terms: SharedTerm[];
}

/**
 * Shared terms by kind (errors first, words last), strongest first within a kind;
 * `exclude` leaves out kinds shown elsewhere.
 */
export function termGroups(terms: SharedTerm[] | null | undefined, perKind = 8, exclude: string[] = []): TermGroup[] {
  const byKind = new Map<string, SharedTerm[]>();
  for (const t of terms ?? []) {
    if (!t || typeof t.text !== "string" || exclude.includes(t.kind)) continue;
    const list = byKind.get(t.kind) ?? [];
    list.push(t);
    byKind.set(t.kind, list);
  }
  const known = TERM_KINDS.map(([k]) => k);
  const kinds = [
    ...known.filter((k) => byKind.has(k)),
    ...[...byKind.keys()].filter((k) => !known.includes(k)).sort(),
  ];
  return kinds.map((kind) => ({
    kind,
    title: termKindLabel(kind),
    terms: [...(byKind.get(kind) as SharedTerm[])]
      .sort((a, b) => (b.weight ?? 0) - (a.weight ?? 0))
      .slice(0, perKind),
  }));
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x.length > 0) : [];

/** What two issues share, most specific first: error lines, stack frames. */
export function issueEvidenceSections(evidence: IssueEvidence | null | undefined): EvidenceSection[] {
  if (!evidence) return [];
  const sections: EvidenceSection[] = [];
  const errors = strings(evidence.sharedErrors);
  if (errors.length) sections.push({ title: "Shared error lines", items: errors });
  const frames = Array.isArray(evidence.sharedFrames)
    ? evidence.sharedFrames.filter((f) => f && typeof f === "object").map(frameText)
    : [];
  if (frames.length) sections.push({ title: "Shared stack frames", items: frames });
  return sections;
}

/** Why a PR links to an issue: its references, then what they share. */
export function linkEvidenceSections(evidence: LinkEvidence | null | undefined): EvidenceSection[] {
  if (!evidence) return [];
  const sections: EvidenceSection[] = [];
  const add = (title: string, items: string[]) => {
    if (items.length) sections.push({ title, items });
  };
  add("References", strings(evidence.references));
  add("Identifiers in both", strings(evidence.sharedIdentifiers));
  add("Issue's paths the PR changes", strings(evidence.issuePathsTouched));
  add("Shared error lines", strings(evidence.sharedErrors));
  return sections;
}

// The title similarity is shown with the evidence (it is there even when the title
// signal is turned off in the scores).
const ISSUE_SIGNALS: [keyof IssueScores & string, string][] = [
  ["terms", "Shared terms (weighted)"],
  ["frames", "Stack frames"],
  ["specificShare", "Specific terms' share"],
];

/** Every issue signal, with `null` for one absent on both sides. */
export function issueScoreRows(scores: IssueScores | null | undefined): ScoreRow[] {
  return ISSUE_SIGNALS.map(([signal, label]) => {
    const raw = scores?.[signal];
    return { signal, label, value: typeof raw === "number" ? raw : null };
  });
}

/** Which reasons explain a verdict best: those pushing its way first. */
const DIRECTION_ORDER: Record<string, string[]> = {
  OUT_OF_SCOPE: ["OUT", "UNCERTAIN", "IN", "NEUTRAL"],
  UNCERTAIN: ["UNCERTAIN", "OUT", "IN", "NEUTRAL"],
  IN_SCOPE: ["IN", "UNCERTAIN", "OUT", "NEUTRAL"],
};

/** The `n` reasons that explain `verdict` best, heaviest first within a direction. */
export function topReasons(reasons: ScopeReason[] | null | undefined, verdict: string, n = 3): ScopeReason[] {
  const order = DIRECTION_ORDER[verdict] ?? DIRECTION_ORDER.UNCERTAIN;
  const rank = (r: ScopeReason) => {
    const i = order.indexOf(r.direction);
    return i === -1 ? order.length : i;
  };
  return (reasons ?? [])
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r) - rank(b.r) || (b.r.weight ?? 0) - (a.r.weight ?? 0) || a.i - b.i)
    .slice(0, n)
    .map(({ r }) => r);
}

/** Links a PR (or issue) states, and those only suggested by similarity. */
export function splitLinks(links: IssueLink[] | null | undefined): { stated: IssueLink[]; suggested: IssueLink[] } {
  const all = links ?? [];
  return {
    stated: all.filter((l) => l.kind !== "SUGGESTED"),
    suggested: all.filter((l) => l.kind === "SUGGESTED"),
  };
}

export interface IssueFilters {
  state: "OPEN" | "CLOSED" | "ALL";
  duplicatesOnly: boolean;
}

export function issuesPath(repoId: number, filters: IssueFilters, cursor?: string | null): string {
  return (
    `/api/repos/${repoId}/issues` +
    query({
      state: filters.state === "OPEN" ? undefined : filters.state.toLowerCase(),
      duplicates: filters.duplicatesOnly ? "true" : undefined,
      limit: 100,
      cursor: cursor ?? undefined,
    })
  );
}

export const ALL_VERDICTS = ["OUT_OF_SCOPE", "UNCERTAIN", "IN_SCOPE"] as const;

export function scopePath(repoId: number, verdicts: string[], cursor?: string | null): string {
  const isDefault = verdicts.length === 2 && verdicts.includes("OUT_OF_SCOPE") && verdicts.includes("UNCERTAIN");
  return (
    `/api/repos/${repoId}/scope` +
    query({
      verdict: isDefault ? undefined : ALL_VERDICTS.filter((v) => verdicts.includes(v)).join(","),
      limit: 50,
      cursor: cursor ?? undefined,
    })
  );
}
