import { filter, type MonoTypeOperatorFunction } from 'rxjs';

/** Keeps the events of one agent, plus world-wide events (`agentId: null`) when asked. */
export function forAgent<T extends { agentId: string | null }>(
  agentId: string,
  options: { includeWorld?: boolean } = {},
): MonoTypeOperatorFunction<T> {
  const includeWorld = options.includeWorld ?? false;
  return filter((event) => event.agentId === agentId || (includeWorld && event.agentId === null));
}
