import { percent } from "../format";
import { issueEvidenceSections, issueScoreRows, linkEvidenceSections, termGroups } from "../issueShape";
import type { EvidenceSection } from "../shape";
import type { IssueEvidence, IssueScores, LinkEvidence, SharedTerm } from "../types";
import "../issues.css";

/** Why two issues were paired: shared error lines and frames, then terms by kind. */
export function IssueEvidencePanel({ evidence }: { evidence: IssueEvidence }) {
  const sections = issueEvidenceSections(evidence);
  // Error lines and frames have sections of their own.
  const exclude = [
    ...(evidence.sharedErrors?.length ? ["ERROR"] : []),
    ...(evidence.sharedFrames?.length ? ["FRAME"] : []),
  ];
  const terms = termGroups(evidence.sharedTerms, 8, exclude);
  const title = typeof evidence.titleSimilarity === "number" ? evidence.titleSimilarity : null;
  return (
    <div className="evidence issue-evidence">
      {sections.length === 0 && terms.length === 0 && (
        <p className="muted">No shared error lines, frames or terms recorded.</p>
      )}
      <Sections sections={sections} />
      <TermGroups terms={evidence.sharedTerms} exclude={exclude} />
      {title !== null && (
        <p className="meta">
          Title similarity: <strong>{percent(title)}</strong>
        </p>
      )}
      {(evidence.notes ?? []).map((n) => (
        <p key={n} className="muted">
          {n}
        </p>
      ))}
    </div>
  );
}

/** Why a PR links to an issue: the references, then what the two share. */
export function LinkEvidencePanel({ evidence }: { evidence: LinkEvidence }) {
  const sections = linkEvidenceSections(evidence);
  const exclude = [
    ...(evidence.sharedIdentifiers?.length ? ["IDENTIFIER"] : []),
    ...(evidence.issuePathsTouched?.length ? ["PATH"] : []),
    ...(evidence.sharedErrors?.length ? ["ERROR"] : []),
  ];
  const similarity = typeof evidence.similarity === "number" ? evidence.similarity : null;
  return (
    <div className="evidence link-evidence">
      {sections.length === 0 && !evidence.sharedTerms?.length && (
        <p className="muted">No references or shared names recorded.</p>
      )}
      <Sections sections={sections} />
      <TermGroups terms={evidence.sharedTerms} perKind={5} exclude={exclude} />
      {similarity !== null && (
        <p className="meta">
          Text similarity: <strong>{percent(similarity)}</strong>
        </p>
      )}
    </div>
  );
}

function Sections({ sections }: { sections: EvidenceSection[] }) {
  if (sections.length === 0) return null;
  return (
    <div className="overlaps">
      {sections.map((s) => (
        <section key={s.title}>
          <h4>{s.title}</h4>
          <ul>
            {s.items.slice(0, 20).map((item) => (
              <li key={item}>
                <code>{item}</code>
              </li>
            ))}
            {s.items.length > 20 && <li className="muted">and {s.items.length - 20} more</li>}
          </ul>
        </section>
      ))}
    </div>
  );
}

/** The strongest shared terms of each kind, with their weight as a bar. */
export function TermGroups({
  terms,
  perKind = 8,
  exclude = [],
}: {
  terms: SharedTerm[] | undefined;
  perKind?: number;
  exclude?: string[];
}) {
  const groups = termGroups(terms, perKind, exclude);
  if (groups.length === 0) return null;
  const max = Math.max(...groups.flatMap((g) => g.terms.map((t) => t.weight ?? 0)), 0);
  return (
    <div className="overlaps terms">
      {groups.map((g) => (
        <section key={g.kind}>
          <h4>{g.title}</h4>
          <ul>
            {g.terms.map((t) => (
              <li key={t.text}>
                <code>{t.text}</code>{" "}
                <span
                  className="weight"
                  role="img"
                  aria-label={`weight ${max > 0 ? percent((t.weight ?? 0) / max) : "0%"} of the strongest`}
                  style={{ width: `${max > 0 ? Math.max(2, Math.round(((t.weight ?? 0) / max) * 40)) : 2}px` }}
                />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

/** The issue signals as bars, in the PR score bars' style. */
export function IssueScoreBars({ scores }: { scores: IssueScores }) {
  const facts = typeof scores.sharedFacts === "number" ? scores.sharedFacts : null;
  return (
    <dl className="scores">
      {issueScoreRows(scores).map((row) => (
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
      {facts !== null && (
        <div className="score-row">
          <dt>Shared specific facts</dt>
          <dd>
            <span className="value">{facts}</span>
          </dd>
        </div>
      )}
    </dl>
  );
}
