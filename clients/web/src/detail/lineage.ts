/** Lineage trees (GraphQL ancestry/descendants) flattened into columns by depth, for the graph view. */

export interface LineageNode {
  id: string;
  boardId: string;
  role: string | null;
  generatorName: string;
  artifactType: string;
  thumbnailUrl: string | null;
  storageUrl: string | null;
  inputParams: unknown;
  /** Ids of the nodes this one links to in the next column towards the centre. */
  linksTo: string[];
}

interface TreeNode {
  depth: number;
  role: string | null;
  generation: { id: string; boardId: string; generatorName: string; artifactType: string; thumbnailUrl: string | null; storageUrl: string | null; inputParams: unknown };
  parents?: TreeNode[];
  children?: TreeNode[];
}

/** Columns by depth 1..n of one direction (each node once, with the nearer node(s) it links to). */
export function columnsOf(root: TreeNode | null | undefined, next: "parents" | "children"): LineageNode[][] {
  const columns: Map<string, LineageNode>[] = [];
  const walk = (node: TreeNode, from: string, depth: number) => {
    const column = (columns[depth - 1] ??= new Map());
    const known = column.get(node.generation.id);
    if (known) {
      if (!known.linksTo.includes(from)) known.linksTo.push(from);
    } else {
      const { id, boardId, generatorName, artifactType, thumbnailUrl, storageUrl, inputParams } = node.generation;
      column.set(id, { id, boardId, generatorName, artifactType, thumbnailUrl, storageUrl, inputParams, role: node.role, linksTo: [from] });
    }
    for (const child of node[next] ?? []) walk(child, node.generation.id, depth + 1);
  };
  if (root) for (const child of root[next] ?? []) walk(child, root.generation.id, 1);
  return columns.map((column) => [...column.values()]);
}
