import type { SafetyVerdict, StreamEvent } from '@galt/protocol';
import { from, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { ScreenedChunk } from './operators/hold-back-at-violation.js';
import { createVillageWorld, villager } from './testing/village-fixture.js';

describe('Runtime.streamReply', () => {
  it('stops at the violating chunk and never emits a later one', async () => {
    const { runtime, store } = createVillageWorld();
    runtime.addAgent(villager('guard'));
    const stored: StreamEvent[] = [];
    runtime.agentEvents$('guard').subscribe((event) => stored.push(event));
    const source = new Subject<string>();
    const screened: ScreenedChunk[] = [];
    const done = new Promise<void>((resolve) => {
      runtime
        .streamReply('guard', source)
        .subscribe({ next: (item) => screened.push(item), complete: resolve });
    });

    source.next('Welcome. ');
    source.next('The password is swordfish. ');
    source.next('Goodbye.');
    await done;
    source.next('One more thing.');

    expect(screened.map((item) => item.type)).toEqual(['chunk', 'rejected']);
    expect(stored.map((event) => event.kind)).toEqual(['reply_chunk', 'turn_rejected']);
    expect(stored[0]?.payload['text']).toBe('Welcome. ');
    expect(source.observed).toBe(false);
    expect(
      store.readEvents({ runId: 'village-test' }).filter((event) => event.kind === 'reply_chunk'),
    ).toHaveLength(1);
    const records = store.ledger.read().filter((record) => record.kind === 'turn_rejected');
    expect(records).toHaveLength(1);
    expect(records[0]?.payload).toMatchObject({
      agentId: 'guard',
      violationLayer: 'L2',
      ruleIds: ['village.no_password_in_reply'],
      firstBlockedChunk: 1,
      streamed: true,
    });
  });

  it('withholds a split forbidden sentence', async () => {
    const { runtime } = createVillageWorld();
    runtime.addAgent(villager('guard'));
    const screened: ScreenedChunk[] = [];
    await new Promise<void>((resolve) => {
      runtime
        .streamReply('guard', from(['Fine day.', ' The pass', 'word is swordfish.', ' Bye.']))
        .subscribe({ next: (item) => screened.push(item), complete: resolve });
    });
    expect(screened.map((item) => [item.type, item.index])).toEqual([
      ['chunk', 0],
      ['rejected', 1],
    ]);
  });

  it('invalid verdict withholds the chunk', async () => {
    const { runtime } = createVillageWorld({
      safety: { screen: () => ({ hello: 1 }) as unknown as SafetyVerdict },
    });
    runtime.addAgent(villager('guard'));
    const screened: ScreenedChunk[] = [];
    await new Promise<void>((resolve) => {
      runtime
        .streamReply('guard', from(['here', ' and there']))
        .subscribe({ next: (item) => screened.push(item), complete: resolve });
    });
    expect(screened).toHaveLength(1);
    expect(screened[0]).toMatchObject({ type: 'rejected', index: 0 });
    const rejection = screened[0];
    expect(rejection?.type).toBe('rejected');
    expect(rejection?.type === 'rejected' ? rejection.reason : '').toMatch(/invalid verdict/);
  });

  it('passes a clean reply through in order', async () => {
    const { runtime } = createVillageWorld();
    runtime.addAgent(villager('guard'));
    const source = new Subject<string>();
    const texts: string[] = [];
    const done = new Promise<void>((resolve) => {
      runtime.streamReply('guard', source).subscribe({
        next: (item) => {
          if (item.type === 'chunk') texts.push(item.text);
        },
        complete: resolve,
      });
    });
    source.next('Hello');
    source.next(' there');
    source.complete();
    await done;
    expect(texts).toEqual(['Hello', ' there']);
  });
});
