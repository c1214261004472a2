import { useState } from "react";
import { CategoryBadge, ScorePill, StateBadge } from "../components/Badges";
import { EvidencePanel } from "../components/Evidence";
import { FeedbackButtons, decisionText } from "../components/Feedback";
import { Link } from "../components/Link";
import { ScoreBars } from "../components/ScoreBars";
import { SetGraph } from "../components/SetGraph";
import { Empty, ErrorState, Loading } from "../components/States";
import { age } from "../format";
import { useApi } from "../hooks";
import { href } from "../router";
import type { DuplicateSet, FeedbackView } from "../types";

type SetDetail = DuplicateSet & { feedback?: FeedbackView[] };

/** One set: members, the suggested base and why, every edge with scores and evidence. */
export function SetView({ repoId, setId }: { repoId: number; setId: number }) {
  const { data, error, loading, reload } = useApi<SetDetail>(`/api/repos/${repoId}/duplicate-sets/${setId}`);
  const [saved, setSaved] = useState<string[]>([]);
  if (error) return <ErrorState error={error} onRetry={reload} />;
  if (!data) return loading ? <Loading label="Loading the set…" /> : null;
  const base = data.suggestedBase;
  const feedback = data.feedback ?? [];
  return (
    <div>
      <p>
        <Link to={href({ view: "sets", repoId })}>← All sets</Link>
      </p>
      <h1>
        Set {data.setId} <ScorePill score={data.maxScore} />
      </h1>
      <p>
        {data.categories.map((c) => (
          <CategoryBadge key={c} category={c} />
        ))}
        {data.state === "CLOSED" && <span className="badge state-closed">resolved</span>}
      </p>
      <div className="set-body">
        <SetGraph members={data.members} edges={data.edges} size={180} />
        <div>
          {base ? (
            <p className="base">
              Suggested base: <strong>#{base.prNumber}</strong>
              {base.reason && <span> — {base.reason}</span>}
            </p>
          ) : (
            <p className="muted">No base suggested: no member clearly contains the others.</p>
          )}
          <table className="table">
            <caption className="sr-only">Members</caption>
            <thead>
              <tr>
                <th scope="col">PR</th>
                <th scope="col">Title</th>
                <th scope="col">Author</th>
                <th scope="col">Age</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {data.members.map((m) => (
                <tr key={m.prNumber}>
                  <td>
                    <Link to={href({ view: "pr", repoId, number: m.prNumber })}>#{m.prNumber}</Link>
                    {m.isBase && <span className="badge base-badge">base</span>}
                  </td>
                  <td>
                    {m.title}
                    {m.url && (
                      <>
                        {" "}
                        <a href={m.url} target="_blank" rel="noreferrer" className="ext">
                          GitHub<span className="sr-only"> (#{m.prNumber}, opens in a new tab)</span>
                        </a>
                      </>
                    )}
                  </td>
                  <td>{m.authorLogin ?? "—"}</td>
                  <td>{age(m.createdAt)}</td>
                  <td>
                    <StateBadge state={m.state} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {(saved.length > 0 || feedback.length > 0) && (
        <section aria-labelledby="decisions">
          <h2 id="decisions">Decisions</h2>
          <ul className="decisions">
            {saved.map((s, i) => (
              <li key={`new-${i}`}>{s}</li>
            ))}
            {feedback.map((f) => (
              <li key={f.id}>
                {decisionText(f)} <span className="muted">{age(f.createdAt)} ago</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <h2>Why these are duplicates</h2>
      {data.edges.length === 0 ? (
        <Empty title="No edges at the current heads">
          <p>Some members changed since the set was built; the next scan rebuilds it.</p>
        </Empty>
      ) : (
        data.edges.map((e) => (
          <article key={`${e.a}-${e.b}`} className="card edge" aria-label={`#${e.a} and #${e.b}`}>
            <header>
              <h3>
                <Link to={href({ view: "pr", repoId, number: e.a })}>#{e.a}</Link> ↔{" "}
                <Link to={href({ view: "pr", repoId, number: e.b })}>#{e.b}</Link>
              </h3>
              <CategoryBadge category={e.category} />
              <ScorePill score={e.finalScore} />
            </header>
            <div className="edge-body">
              <ScoreBars scores={e.scores} />
              <EvidencePanel evidence={e.evidence} side="a" mine={e.a} theirs={e.b} />
            </div>
            <FeedbackButtons
              repoId={repoId}
              pr={{ number: e.a }}
              other={{ number: e.b }}
              onSaved={(text) => {
                setSaved((s) => [text, ...s]);
                reload();
              }}
            />
          </article>
        ))
      )}
    </div>
  );
}
