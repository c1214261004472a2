import { evidenceSections, groupLines, sidedLines } from "../shape";
import type { Evidence } from "../types";

/** Overlaps as lists, then the matching changed lines of both PRs side by side. */
export function EvidencePanel({
  evidence,
  side,
  mine,
  theirs,
}: {
  evidence: Evidence;
  side: "a" | "b";
  mine: number;
  theirs: number;
}) {
  const sections = evidenceSections(evidence);
  const lines = sidedLines(evidence, side);
  return (
    <div className="evidence">
      {evidence.sameDiffHash && <p className="note">Identical production diff (same canonical hash).</p>}
      {evidence.comparedChannel && evidence.comparedChannel !== "PRODUCTION" && (
        <p className="note">Neither PR changes production code; compared on {evidence.comparedChannel.toLowerCase()}.</p>
      )}
      {sections.length === 0 && !lines.mine.length && <p className="muted">No overlapping names or lines recorded.</p>}
      <div className="overlaps">
        {sections.map((s) => (
          <section key={s.title}>
            <h4>{s.title}</h4>
            <ul>
              {s.items.slice(0, 30).map((item) => (
                <li key={item}>
                  <code>{item}</code>
                </li>
              ))}
              {s.items.length > 30 && <li className="muted">and {s.items.length - 30} more</li>}
            </ul>
          </section>
        ))}
      </div>
      {(lines.mine.length > 0 || lines.theirs.length > 0) && (
        <div className="side-by-side">
          <DiffColumn title={`#${mine}`} lines={lines.mine} />
          <DiffColumn title={`#${theirs}`} lines={lines.theirs} />
        </div>
      )}
      {(evidence.notes ?? []).map((n) => (
        <p key={n} className="muted">
          {n}
        </p>
      ))}
    </div>
  );
}

function DiffColumn({ title, lines }: { title: string; lines: Evidence["linesA"] }) {
  return (
    <div className="diff-column">
      <h4>Matching lines in {title}</h4>
      {groupLines(lines).map((file) => (
        <figure key={file.path} className="diff">
          <figcaption>
            <code>{file.path}</code>
          </figcaption>
          <pre>
            {file.lines.map((l, i) => (
              <mark key={i} className={l.sign === "-" ? "del" : "add"}>
                {l.sign === "-" ? "-" : "+"}
                {l.text}
              </mark>
            ))}
          </pre>
        </figure>
      ))}
    </div>
  );
}
