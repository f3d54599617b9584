import type { InterfaceProbe } from '../../classifier/interface-probe.js';
import type { BlockEdge } from '../../updater/options.js';
import type { RowValue } from '../../updater/row-state.js';
import type { BufferItem } from '../reservoir-buffer.js';
import { itemsToBatch, type MethodContext } from './method.js';

/** One interface of the MLP: the probe that measures it and the edge it belongs to. */
export interface InterfaceEdge {
  probe: InterfaceProbe;
  edge: BlockEdge;
}

/** An edge row measured on sampled anchors, with its Jacobian. */
export interface MeasuredEdgeRow {
  row: RowValue;
  jacobian: Float32Array;
}

/**
 * Forward-consistency edges of the benchmark MLP. Edge `hidden-l` joins the bias of layer l to
 * the weight of layer l + 1. Its row is the mean squared drift of hidden activation l on buffer
 * examples from its anchored value, minus the tolerance. Anchors are refreshed only from
 * states that satisfy every row, so they never record a state that broke a constraint.
 */
export class InterfaceRows {
  /** Anchored activation of each buffer item (by serial), per interface. */
  private readonly anchors: Map<number, Float32Array>[];

  constructor(
    private readonly interfaces: readonly InterfaceEdge[],
    private readonly anchorsPerStep: number,
    private readonly context: MethodContext,
  ) {
    this.anchors = interfaces.map(() => new Map());
  }

  /** The edges to declare in the updater options. */
  get edges(): BlockEdge[] {
    return this.interfaces.map(({ edge }) => edge);
  }

  /** Measures every edge row on up to `anchorsPerStep` anchored buffer items, counting the passes. */
  async measure(): Promise<MeasuredEdgeRow[]> {
    const measured: MeasuredEdgeRow[] = [];
    for (const [index, { probe, edge }] of this.interfaces.entries()) {
      const anchored = this.context.buffer.items.filter((item) =>
        this.anchors[index]!.has(item.serial),
      );
      if (anchored.length === 0) continue;
      const items = sample(anchored, this.anchorsPerStep, this.context);
      const drift = await this.drift(index, probe, items);
      this.context.backpropagated.examples += items.length;
      const row: RowValue = {
        id: `edge-${edge.id}`,
        kind: 'consistency',
        hard: false,
        value: drift.value - edge.tolerance,
        edge: edge.id,
      };
      measured.push({ row, jacobian: drift.gradient });
    }
    return measured;
  }

  /** Returns true when every edge row is satisfied on all of its anchored buffer items. */
  async isSatisfied(): Promise<boolean> {
    for (const [index, { probe, edge }] of this.interfaces.entries()) {
      const anchored = this.context.buffer.items.filter((item) =>
        this.anchors[index]!.has(item.serial),
      );
      if (anchored.length === 0) continue;
      const drift = await this.drift(index, probe, anchored);
      if (drift.value > edge.tolerance) return false;
    }
    return true;
  }

  /** Re-anchors every buffer item at the current parameters and drops anchors of evicted items. */
  async refresh(): Promise<void> {
    const items = this.context.buffer.items;
    if (items.length === 0) return;
    const batch = itemsToBatch(items, this.context.model.inputSize);
    for (const [index, { probe }] of this.interfaces.entries()) {
      const activations = await probe.activations(batch.features, batch.count);
      const anchors = this.anchors[index]!;
      anchors.clear();
      items.forEach((item, i) => {
        anchors.set(item.serial, activations.slice(i * probe.width, (i + 1) * probe.width));
      });
    }
  }

  private drift(index: number, probe: InterfaceProbe, items: readonly BufferItem[]) {
    const batch = itemsToBatch(items, this.context.model.inputSize);
    const anchored = new Float32Array(items.length * probe.width);
    items.forEach((item, i) => {
      anchored.set(this.anchors[index]!.get(item.serial)!, i * probe.width);
    });
    return probe.drift(batch.features, batch.count, anchored);
  }
}

function sample(items: readonly BufferItem[], count: number, context: MethodContext): BufferItem[] {
  if (items.length <= count) return [...items];
  return context.random.shuffle(items).slice(0, count);
}
