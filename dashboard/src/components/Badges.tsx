import { CATEGORY_HELP, categoryClass, categoryLabel, percent } from "../format";

export function CategoryBadge({ category }: { category: string }) {
  return (
    <span className={`badge ${categoryClass(category)}`} title={CATEGORY_HELP[category]}>
      {categoryLabel(category)}
    </span>
  );
}

export function StateBadge({ state }: { state: string }) {
  return <span className={`badge state-${state.toLowerCase()}`}>{state.toLowerCase()}</span>;
}

export function ScorePill({ score }: { score: number }) {
  return (
    <span className="score" aria-label={`score ${percent(score)}`}>
      {percent(score)}
    </span>
  );
}
