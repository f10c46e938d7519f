/** Ancestry ← this → descendants as columns of thumbnails; each node opens that generation. */
import { type ReactNode } from "react";
import { useLineage } from "../../../src";
import { excerpt, promptOf } from "../common/format";
import { columnsOf, type LineageNode } from "./lineage";

export function Lineage(props: { generationId: string; onOpen: (node: { id: string; boardId: string }) => void }) {
  const lineage = useLineage(props.generationId, 3);
  const g = lineage.data;
  if (lineage.isLoading) return <p className="muted small">Loading lineage…</p>;
  if (!g) return null;
  const ancestors = columnsOf(g.ancestry as never, "parents").reverse();
  const descendants = columnsOf(g.descendants as never, "children");
  if (ancestors.length === 0 && descendants.length === 0) {
    return <p className="muted small">No lineage: this was made from a prompt alone, and nothing was made from it yet.</p>;
  }
  const column = (nodes: LineageNode[], key: string, label: string): ReactNode => (
    <ol key={key} className="lineage-col" aria-label={label}>
      {nodes.map((node) => (
        <li key={node.id}>
          <button type="button" className="lineage-node" onClick={() => props.onOpen(node)} aria-label={`Open ${node.role ?? "related"}: ${excerpt(promptOf(node.inputParams) || node.generatorName, 40)}`}>
            <NodeThumb node={node} />
            <span className="small">{node.role ?? "from"}</span>
          </button>
        </li>
      ))}
    </ol>
  );
  return (
    <div className="lineage" role="group" aria-label="Lineage graph">
      {ancestors.map((nodes, i) => column(nodes, `a${i}`, `Ancestors, ${ancestors.length - i} step${ancestors.length - i > 1 ? "s" : ""} back`))}
      <div className="lineage-col current" aria-label="This generation">
        <span className="lineage-node self"><NodeThumb node={{ ...g, role: null, linksTo: [] } as unknown as LineageNode} /><span className="small">this</span></span>
      </div>
      {descendants.map((nodes, i) => column(nodes, `d${i}`, `Made from this, ${i + 1} step${i ? "s" : ""} on`))}
    </div>
  );
}

function NodeThumb({ node }: { node: Pick<LineageNode, "thumbnailUrl" | "storageUrl" | "artifactType"> }) {
  const src = node.thumbnailUrl ?? (node.artifactType.toLowerCase() === "image" ? node.storageUrl : null);
  return src ? <img src={src} alt="" /> : <span className="type-icon">{node.artifactType.toLowerCase()}</span>;
}
