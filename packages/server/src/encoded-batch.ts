import type { ServerMessage, StreamEvent } from '@galt/protocol';
import { encodeTextFrame } from './text-frame.js';

/** Encodes an `event` message as a complete WebSocket text frame. */
export function encodeEventFrame(event: StreamEvent): Buffer {
  return encodeTextFrame(JSON.stringify({ type: 'event', event } satisfies ServerMessage));
}

/**
 * A batch of live events whose frames are encoded on first use and shared by every client.
 *
 * Clients that take every event receive `whole()`, one buffer with all frames, in one write.
 */
export class EncodedBatch {
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** Whether the sequence numbers rise by exactly one from the first event to the last. */
  readonly contiguous: boolean;
  private readonly frames: (Buffer | undefined)[];
  private joined: Buffer | undefined;

  constructor(readonly events: readonly StreamEvent[]) {
    this.firstSeq = events[0]?.seq ?? 0;
    this.lastSeq = events.at(-1)?.seq ?? 0;
    this.contiguous = events.every((event, index) => event.seq === this.firstSeq + index);
    this.frames = new Array<Buffer | undefined>(events.length);
  }

  /** Returns the frame of the event at `index`. */
  frame(index: number): Buffer {
    let frame = this.frames[index];
    if (frame === undefined) {
      frame = encodeEventFrame(this.events[index]!);
      this.frames[index] = frame;
    }
    return frame;
  }

  /** Returns the frames of all events joined in order. */
  whole(): Buffer {
    if (this.joined === undefined) {
      const frames = this.events.map((_event, index) => this.frame(index));
      this.joined = Buffer.concat(frames);
    }
    return this.joined;
  }
}
