import { describe, expect, it } from 'vitest';
import { GaltError } from './errors.js';
import { TickClock } from './tick-clock.js';

describe('TickClock', () => {
  it('starts at zero and advances', () => {
    const clock = new TickClock();
    expect(clock.tick).toBe(0);
    expect(clock.advance()).toBe(1);
    expect(clock.advance(5)).toBe(6);
    expect(clock.advance(0)).toBe(6);
    expect(clock.tick).toBe(6);
  });

  it('rejects negative or fractional steps', () => {
    const clock = new TickClock(3);
    expect(() => clock.advance(-1)).toThrow(GaltError);
    expect(() => clock.advance(0.5)).toThrow(GaltError);
    expect(() => new TickClock(-2)).toThrow(GaltError);
    expect(clock.tick).toBe(3);
  });

  it('round-trips through a snapshot', () => {
    const clock = new TickClock(10);
    clock.advance(7);
    const restored = TickClock.restore(JSON.parse(JSON.stringify(clock.snapshot())));
    expect(restored.tick).toBe(17);
    expect(restored.advance()).toBe(clock.advance());
  });

  it('restore rejects malformed state', () => {
    expect(() => TickClock.restore({ tick: -1 })).toThrow(GaltError);
    expect(() => TickClock.restore({})).toThrow(/tick/);
  });
});
