// Formatting for people: ages, scores, category names.

import type { Category } from "./types";

export const CATEGORY_LABELS: Record<string, string> = {
  SAME_CHANGE: "Same change",
  SAME_FEATURE: "Same feature",
  COMPETING_IMPLEMENTATION: "Competing",
  RELATED: "Related",
};

export const CATEGORY_HELP: Record<string, string> = {
  SAME_CHANGE: "The production change is the same; keep one.",
  SAME_FEATURE: "The same feature, written differently.",
  COMPETING_IMPLEMENTATION: "The same tests, different production code: pick one approach.",
  RELATED: "Overlapping work worth a look.",
};

export function categoryLabel(category: string | null | undefined): string {
  if (!category) return "—";
  return CATEGORY_LABELS[category] ?? category;
}

export function categoryClass(category: string): string {
  return "cat-" + category.toLowerCase().replace(/_/g, "-");
}

/** 0.934 → "93%". */
export function percent(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return `${Math.round(Math.max(0, Math.min(1, value)) * 100)}%`;
}

/** An age like "3d" or "5h", relative to `now`. */
export function age(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return "—";
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "—";
  const seconds = Math.max(0, (now.getTime() - then) / 1000);
  if (seconds < 60) return "now";
  const minutes = seconds / 60;
  if (minutes < 60) return `${Math.floor(minutes)}m`;
  const hours = minutes / 60;
  if (hours < 48) return `${Math.floor(hours)}h`;
  const days = hours / 24;
  if (days < 60) return `${Math.floor(days)}d`;
  const months = days / 30;
  if (months < 24) return `${Math.floor(months)}mo`;
  return `${Math.floor(days / 365)}y`;
}

export function strongestCategory(categories: Category[]): Category | null {
  const order: Category[] = ["SAME_CHANGE", "SAME_FEATURE", "COMPETING_IMPLEMENTATION", "RELATED"];
  return order.find((c) => categories.includes(c)) ?? null;
}

export function shortSha(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 7) : "—";
}
