import {
  ISSUE_CATEGORY_HELP,
  LINK_KIND_HELP,
  VERDICT_HELP,
  issueCategoryLabel,
  linkKindLabel,
  valueClass,
  verdictLabel,
} from "../issueFormat";
import "../issues.css";

export function IssueCategoryBadge({ category }: { category: string }) {
  return (
    <span className={`badge ${valueClass("icat", category)}`} title={ISSUE_CATEGORY_HELP[category]}>
      {issueCategoryLabel(category)}
    </span>
  );
}

export function LinkKindBadge({ kind }: { kind: string }) {
  return (
    <span className={`badge ${valueClass("link", kind)}`} title={LINK_KIND_HELP[kind]}>
      {linkKindLabel(kind)}
    </span>
  );
}

export function VerdictBadge({ verdict }: { verdict: string }) {
  return (
    <span className={`badge ${valueClass("verdict", verdict)}`} title={VERDICT_HELP[verdict]}>
      {verdictLabel(verdict)}
    </span>
  );
}

/** A GitHub label of an issue. */
export function LabelBadge({ label }: { label: string }) {
  return <span className="badge issue-label">{label}</span>;
}

/** A count that says what it counts, dimmed at zero. */
export function CountBadge({ count, one, many }: { count: number; one: string; many: string }) {
  return (
    <span className={count > 0 ? "count" : "count zero"}>
      {count} {count === 1 ? one : many}
    </span>
  );
}
