import { percent } from "../format";
import { scoreRows } from "../shape";
import type { Scores } from "../types";

/** Every signal as a bar; a signal absent on both sides says so instead of 0%. */
export function ScoreBars({ scores }: { scores: Scores }) {
  return (
    <dl className="scores">
      {scoreRows(scores).map((row) => (
        <div key={row.signal} className="score-row">
          <dt>{row.label}</dt>
          <dd>
            {row.value === null ? (
              <span className="absent">absent on both</span>
            ) : (
              <>
                <meter min={0} max={1} value={row.value} aria-label={`${row.label} ${percent(row.value)}`} />
                <span className="value">{percent(row.value)}</span>
              </>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
