import { describe, expect, it } from 'vitest';
import { BufferedOutput } from './io.js';
import { ProgressDisplay } from './progress.js';

function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let time = 0;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}

describe('ProgressDisplay on a terminal', () => {
  it('redraws one line with a carriage return', () => {
    const output = new BufferedOutput(true);
    const clock = manualClock();
    const progress = new ProgressDisplay({ output, now: clock.now, label: 'tick', total: 10 });
    progress.update(1);
    clock.advance(200);
    progress.update(2, { decisions: 8 });
    progress.finish();
    const text = output.text();
    expect(text.startsWith('\rtick 1/10  10%  0.0s\x1b[K')).toBe(true);
    expect(text).toContain('\rtick 2/10  20%  0.2s  decisions=8\x1b[K');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(2);
  });

  it('skips redraws closer than the interval', () => {
    const output = new BufferedOutput(true);
    const clock = manualClock();
    const progress = new ProgressDisplay({ output, now: clock.now, label: 'tick', total: 100 });
    for (let done = 1; done <= 50; done += 1) progress.update(done);
    expect(output.text().split('\r').filter(Boolean)).toHaveLength(1);
  });

  it('always draws the final count', () => {
    const output = new BufferedOutput(true);
    const clock = manualClock();
    const progress = new ProgressDisplay({ output, now: clock.now, label: 'tick', total: 3 });
    progress.update(1);
    progress.update(3);
    expect(output.text()).toContain('tick 3/3  100%');
  });
});

describe('ProgressDisplay on a pipe', () => {
  it('prints whole lines every two seconds', () => {
    const output = new BufferedOutput(false);
    const clock = manualClock();
    const progress = new ProgressDisplay({ output, now: clock.now, label: 'tick', total: 100 });
    for (let done = 1; done < 100; done += 1) {
      clock.advance(100);
      progress.update(done);
    }
    progress.update(100);
    progress.finish();
    const lines = output.text().trimEnd().split('\n');
    expect(output.text()).not.toContain('\r');
    // First update, one line per 2 s over 9.9 s of updates, and the final count.
    expect(lines.length).toBe(6);
    expect(lines.at(-1)).toContain('tick 100/100  100%');
  });

  it('omits the percentage without a total', () => {
    const output = new BufferedOutput(false);
    const clock = manualClock();
    const progress = new ProgressDisplay({ output, now: clock.now, label: 'tick', total: null });
    progress.update(12, { subscribers: 1 });
    expect(output.text()).toBe('tick 12  0.0s  subscribers=1\n');
  });

  it('prints nothing when disabled', () => {
    const output = new BufferedOutput(false);
    const clock = manualClock();
    const progress = new ProgressDisplay({
      output,
      now: clock.now,
      label: 'tick',
      total: 2,
      enabled: false,
    });
    progress.update(2);
    progress.finish();
    expect(output.text()).toBe('');
  });
});
