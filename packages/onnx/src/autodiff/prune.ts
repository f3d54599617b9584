import type { Graph, GraphNode } from '../graph.js';

/** Removes nodes and constants that no graph output depends on. */
export function pruneGraph(graph: Graph): Graph {
  const needed = new Set(graph.outputs.map((output) => output.name));
  const kept: GraphNode[] = [];
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i] as GraphNode;
    if (!node.outputs.some((name) => needed.has(name))) continue;
    kept.push(node);
    for (const input of node.inputs) if (input !== '') needed.add(input);
  }
  kept.reverse();
  const constants = Object.fromEntries(
    Object.entries(graph.constants).filter(([name]) => needed.has(name)),
  );
  const values = Object.fromEntries(
    Object.entries(graph.values).filter(([name]) => needed.has(name)),
  );
  for (const info of [...graph.inputs, ...graph.parameters]) values[info.name] = info;
  return { ...graph, nodes: kept, constants, values };
}
