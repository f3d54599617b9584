import { describe, expect, it } from 'vitest';
import { heatColour, renderHeatMap } from './heat-map.js';

describe('heatColour', () => {
  it('runs from white to dark blue', () => {
    expect(heatColour(0)).toBe('rgb(255,255,255)');
    expect(heatColour(1)).toBe('rgb(8,48,107)');
  });

  it('clamps values outside [0, 1]', () => {
    expect(heatColour(-3)).toBe(heatColour(0));
    expect(heatColour(7)).toBe(heatColour(1));
    expect(heatColour(Number.NaN)).toBe(heatColour(0));
  });
});

describe('renderHeatMap', () => {
  it('draws one labelled cell per value', () => {
    const svg = renderHeatMap({
      title: 'galt <accuracy>',
      matrix: [[0.995], [0.25, 0.5]],
      rowLabels: ['after 1', 'after 2'],
      columnTitle: 'tested on task',
    });
    const cells = [...svg.matchAll(/<rect class="cell"[^>]* fill="([^"]*)"/g)];
    expect(cells).toHaveLength(3);
    expect(cells[1]?.[1]).toBe(heatColour(0.25));
    expect(svg).toContain('<title>100%</title>');
    expect(svg).toContain('<title>25%</title>');
    expect(svg).toContain('>after 2</text>');
    expect(svg).toContain('>tested on task</text>');
    expect(svg).toContain('galt &lt;accuracy&gt;');
  });

  it('sizes itself to the widest row', () => {
    const width = (svg: string) => Number(/ width="(\d+)"/.exec(svg)?.[1]);
    const narrow = renderHeatMap({ title: 't', matrix: [[1]] });
    const wide = renderHeatMap({ title: 't', matrix: [[1], [1, 1, 1]] });
    expect(width(wide) - width(narrow)).toBe(88);
    const titled = renderHeatMap({ title: 'x'.repeat(100), matrix: [[1]] });
    expect(width(titled)).toBeGreaterThan(width(narrow) + 500);
  });
});
