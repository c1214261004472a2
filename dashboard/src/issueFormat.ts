// Formatting for people, for issues, links and the scope assist: names and help texts
// of categories, link kinds, verdicts, reason kinds and term kinds.

import type { StackFrame } from "./types";

export const ISSUE_CATEGORY_LABELS: Record<string, string> = {
  DUPLICATE: "Duplicate",
  RELATED: "Related",
};

export const ISSUE_CATEGORY_HELP: Record<string, string> = {
  DUPLICATE: "The same problem reported again: keep one issue open.",
  RELATED: "Overlapping reports worth a look; not the same problem.",
};

export const LINK_KIND_LABELS: Record<string, string> = {
  EXPLICIT: "Closes",
  BRANCH: "Branch",
  MENTIONED: "Mentioned",
  SUGGESTED: "Suggested",
};

export const LINK_KIND_HELP: Record<string, string> = {
  EXPLICIT: "The PR says it fixes the issue (a closing keyword such as “fixes #123”).",
  BRANCH: "The PR's branch name carries the issue number.",
  MENTIONED: "The PR mentions the issue without a closing keyword.",
  SUGGESTED: "Not referenced: the PR's text, symbols and paths resemble the issue.",
};

export const VERDICT_LABELS: Record<string, string> = {
  OUT_OF_SCOPE: "Out of scope",
  UNCERTAIN: "Uncertain",
  IN_SCOPE: "In scope",
};

export const VERDICT_HELP: Record<string, string> = {
  OUT_OF_SCOPE: "The vision document or the path rules say this kind of change is not wanted.",
  UNCERTAIN: "Something needs a maintainer's judgement (a new dependency, mixed signals, nothing to judge by).",
  IN_SCOPE: "The change matches what the vision document and path rules ask for.",
};

export const DIRECTION_LABELS: Record<string, string> = {
  OUT: "points out of scope",
  IN: "points in scope",
  UNCERTAIN: "needs a human",
  NEUTRAL: "for information",
};

export const REASON_KIND_LABELS: Record<string, string> = {
  PATH_RULE: "Path rule",
  VISION_KEYWORD: "Vision",
  POLICY: "Policy",
  EXPORTS_CHANGED: "Public API",
  NO_VISION: "No vision",
};

/** Term kinds in reading order: the most specific evidence first. */
export const TERM_KINDS: [string, string][] = [
  ["ERROR", "Error lines"],
  ["MESSAGE", "Error messages"],
  ["FRAME", "Stack frames"],
  ["IDENTIFIER", "Identifiers"],
  ["PATH", "Paths"],
  ["PHRASE", "Phrases"],
  ["LABEL", "Labels"],
  ["WORD", "Words"],
];

function named(table: Record<string, string>, value: string | null | undefined): string {
  if (!value) return "—";
  return table[value] ?? value.toLowerCase().replace(/_/g, " ");
}

export const issueCategoryLabel = (c: string | null | undefined) => named(ISSUE_CATEGORY_LABELS, c);
export const linkKindLabel = (k: string | null | undefined) => named(LINK_KIND_LABELS, k);
export const verdictLabel = (v: string | null | undefined) => named(VERDICT_LABELS, v);
export const directionLabel = (d: string | null | undefined) => named(DIRECTION_LABELS, d);
export const reasonKindLabel = (k: string | null | undefined) => named(REASON_KIND_LABELS, k);

/** A term kind's section title; unknown kinds keep their name. */
export function termKindLabel(kind: string): string {
  return TERM_KINDS.find(([k]) => k === kind)?.[1] ?? named({}, kind);
}

/** "OUT_OF_SCOPE" → "verdict-out-of-scope": a CSS class for a value. */
export function valueClass(prefix: string, value: string): string {
  return `${prefix}-${value.toLowerCase().replace(/_/g, "-")}`;
}

/** A stack frame as one line: `getInvoiceTotals @ services/billing`. */
export function frameText(frame: StackFrame): string {
  if (!frame.file) return frame.function;
  if (!frame.function) return frame.file;
  return `${frame.function} @ ${frame.file}`;
}
