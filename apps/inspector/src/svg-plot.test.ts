import { describe, expect, it } from 'vitest';
import { escapeXml, renderLinePlot } from './svg-plot.js';

function polylinePoints(svg: string): [number, number][][] {
  return [...svg.matchAll(/<polyline[^>]* points="([^"]*)"/g)].map((match) =>
    (match[1] ?? '')
      .split(' ')
      .filter((pair) => pair !== '')
      .map((pair) => pair.split(',').map(Number) as [number, number]),
  );
}

describe('renderLinePlot', () => {
  it('draws one polyline per series inside the plot area', () => {
    const svg = renderLinePlot({
      title: 'C',
      width: 400,
      height: 200,
      series: [
        {
          label: 'a',
          points: [
            { x: 1, y: -2 },
            { x: 2, y: 0 },
            { x: 3, y: 1 },
          ],
        },
        { label: 'b', points: [{ x: 1, y: 5 }] },
      ],
    });
    const lines = polylinePoints(svg);
    expect(lines).toHaveLength(2);
    for (const [x, y] of lines.flat()) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(400);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(200);
    }
    const [first] = lines;
    // Larger y is drawn higher, so its SVG y coordinate is smaller.
    expect(first?.[2]?.[1]).toBeLessThan(first?.[0]?.[1] ?? 0);
    expect(first?.[2]?.[0]).toBeGreaterThan(first?.[0]?.[0] ?? 0);
  });

  it('gives a flat series a finite position', () => {
    const svg = renderLinePlot({
      title: 'flat',
      series: [{ label: 'a', points: [{ x: 4, y: 3 }] }],
    });
    const [[point]] = polylinePoints(svg) as [[number, number][]];
    expect(Number.isFinite(point?.[0])).toBe(true);
    expect(Number.isFinite(point?.[1])).toBe(true);
    expect(svg.match(/<circle class="point"/g)).toHaveLength(1);
  });

  it('marks commits and rollbacks', () => {
    const svg = renderLinePlot({
      title: 'λ',
      series: [
        {
          label: 'a',
          points: [
            { x: 1, y: 0 },
            { x: 9, y: 1 },
          ],
        },
      ],
      markers: [
        { x: 2, kind: 'commit' },
        { x: 5, kind: 'rollback' },
        { x: 6, kind: 'rollback' },
      ],
    });
    expect(svg.match(/class="marker-commit"/g)).toHaveLength(1);
    expect(svg.match(/class="marker-rollback"/g)).toHaveLength(2);
  });

  it('lists series labels in the legend', () => {
    const svg = renderLinePlot({
      title: 'accuracy',
      legend: true,
      series: [
        { label: 'galt', points: [{ x: 1, y: 90 }] },
        { label: 'derpp', points: [{ x: 1, y: 80 }] },
      ],
    });
    expect(svg).toContain('class="legend">galt</text>');
    expect(svg).toContain('class="legend">derpp</text>');
    expect(renderLinePlot({ title: 'none', series: [] })).not.toContain('class="legend"');
  });

  it('escapes titles and labels', () => {
    const svg = renderLinePlot({
      title: '<script>alert(1)</script>',
      series: [{ label: 'a"&b', points: [{ x: 0, y: 0 }] }],
    });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('a&quot;&amp;b');
  });
});

describe('escapeXml', () => {
  it('replaces every markup character', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
});
