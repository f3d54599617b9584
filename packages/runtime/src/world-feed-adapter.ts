import { errorMessage, isGaltError, type Logger } from '@galt/core';
import type { StreamEvent } from '@galt/protocol';
import { formatIssues } from '@galt/protocol';
import type { EventLog } from './event-log.js';
import type { FeedControlCommand, FeedControlResult, RuntimeWorldFeed } from './world-feed.js';

/** The runtime operations the feed's control commands call. */
interface ControlTarget {
  inject(input: unknown):
    | { ok: true }
    | {
        ok: false;
        issues: readonly { path: (string | number)[]; code: string; message: string }[];
      };
  pauseAgent(agentId: string): void;
  resumeAgent(agentId: string): void;
}

interface WorldFeedParts {
  runId: string;
  log: EventLog;
  listeners: Set<(events: readonly StreamEvent[]) => void>;
  logger: Logger;
  state: () => Record<string, unknown>;
  runtime: ControlTarget;
}

/** Builds the world feed over a runtime's event log and listeners. */
export function createWorldFeed(parts: WorldFeedParts): RuntimeWorldFeed {
  return {
    runId: () => parts.runId,
    headSeq: () => parts.log.headSeq(),
    readEvents: (fromSeq, limit) => parts.log.read(fromSeq, limit),
    subscribe(listener) {
      parts.listeners.add(listener);
      return () => {
        parts.listeners.delete(listener);
      };
    },
    snapshot: () => ({ seq: parts.log.headSeq(), state: parts.state() }),
    control: (command) => applyControl(parts, command),
  };
}

function applyControl(parts: WorldFeedParts, command: FeedControlCommand): FeedControlResult {
  try {
    switch (command.action) {
      case 'inject_event': {
        const result = parts.runtime.inject(command.event);
        if (result.ok) return { ok: true };
        return {
          ok: false,
          code: 'invalid_input',
          message: `world event is invalid: ${formatIssues(result.issues)}`,
        };
      }
      case 'pause_agent':
        parts.runtime.pauseAgent(command.agentId);
        return { ok: true };
      case 'resume_agent':
        parts.runtime.resumeAgent(command.agentId);
        return { ok: true };
      case 'request_snapshot':
        return { ok: true };
    }
  } catch (error) {
    if (isGaltError(error)) return { ok: false, code: error.code, message: error.message };
    parts.logger.error('world feed control command failed', {
      action: command.action,
      error: errorMessage(error),
    });
    return { ok: false, code: 'internal', message: errorMessage(error) };
  }
}
