import { layoutSet } from "../shape";
import type { SetEdge, SetMember } from "../types";

/** A small picture of a set: members as nodes, edges weighted by score. */
export function SetGraph({ members, edges, size = 120 }: { members: SetMember[]; edges: SetEdge[]; size?: number }) {
  const { nodes, links } = layoutSet(members, edges, size);
  const label = `Graph of ${members.length} PRs with ${links.length} links`;
  return (
    <svg className="graph" width={size} height={size} viewBox={`0 0 ${size} ${size}`} role="img" aria-label={label}>
      {links.map((l) => (
        <line
          key={`${l.a.number}-${l.b.number}`}
          x1={l.a.x}
          y1={l.a.y}
          x2={l.b.x}
          y2={l.b.y}
          strokeWidth={l.width}
          className={`link link-${l.category.toLowerCase()}`}
        />
      ))}
      {nodes.map((n) => (
        <g key={n.number} transform={`translate(${n.x} ${n.y})`}>
          <circle r={n.isBase ? 12 : 10} className={n.isBase ? "node base" : "node"} />
          <text textAnchor="middle" dy="0.35em">
            {n.number > 9999 ? "…" + String(n.number).slice(-3) : n.number}
          </text>
        </g>
      ))}
    </svg>
  );
}
