import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { encodeTextFrame } from './text-frame.js';

interface FrameReceiver {
  on(event: 'message', listener: (data: Buffer) => void): void;
  write(chunk: Buffer): void;
}

/** The frame parser of `ws` 8; exported at run time but missing from its type declarations. */
const Receiver = (ws as unknown as { Receiver: new (options: object) => FrameReceiver }).Receiver;

/** Decodes frames with the `ws` receiver, as a client would. */
function decode(frame: Buffer): string[] {
  const received: string[] = [];
  const receiver = new Receiver({ isServer: false });
  receiver.on('message', (data) => received.push(data.toString('utf8')));
  receiver.write(frame);
  return received;
}

describe('encodeTextFrame', () => {
  for (const length of [0, 1, 125, 126, 127, 65_535, 65_536, 70_000]) {
    it(`round-trips a ${length}-byte text`, () => {
      const text = 'a'.repeat(length);
      expect(decode(encodeTextFrame(text))).toEqual([text]);
    });
  }

  it('counts multi-byte characters in the length', () => {
    const text = 'héllo wörld ✓'.repeat(20);
    expect(decode(encodeTextFrame(text))).toEqual([text]);
  });

  it('uses the 2-byte header up to 125 bytes', () => {
    expect(encodeTextFrame('a'.repeat(125)).length).toBe(127);
    expect(encodeTextFrame('a'.repeat(126)).length).toBe(130);
    expect(encodeTextFrame('a'.repeat(65_536)).length).toBe(65_546);
  });
});
