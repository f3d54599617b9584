import { describe, expect, it } from 'vitest';
import { formatJson, markdownTable } from './format-text.js';

describe('formatJson', () => {
  it('inlines arrays of primitives', () => {
    const text = formatJson({ shape: ['batch', 4], nested: [{ a: 1 }], empty: {} });
    expect(text).toBe(
      '{\n  "shape": ["batch", 4],\n  "nested": [\n    {\n      "a": 1\n    }\n  ],\n  "empty": {}\n}',
    );
  });

  it('round-trips through JSON.parse', () => {
    const value = { a: [1, 2], b: { c: 'x', d: [true, null] } };
    expect(JSON.parse(formatJson(value))).toEqual(value);
  });
});

describe('markdownTable', () => {
  it('pads columns to the widest cell', () => {
    const table = markdownTable(['Head', 'Accuracy'], [['action', '1.000']]);
    expect(table).toBe('| Head   | Accuracy |\n| ------ | -------- |\n| action | 1.000    |');
  });
});
