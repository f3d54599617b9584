import { GaltError } from '@galt/core';

/** Error raised when a graph is invalid: a shape mismatch, an unknown operator or a missing input. */
export class GraphError extends GaltError {
  /** Name of the node that failed, when one did. */
  readonly node: string | null;

  constructor(node: string | null, message: string, remedy?: string) {
    const where = node === null ? '' : `node ${node}: `;
    super('graph_invalid', `${where}${message}`, remedy === undefined ? {} : { remedy });
    this.name = 'GraphError';
    this.node = node;
  }
}
