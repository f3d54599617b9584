import { describe, expect, it } from 'vitest';
import { flattenObject, formatCell, formatSummary, formatTable } from './table.js';

describe('formatCell', () => {
  it('keeps integers and rounds fractions', () => {
    expect(formatCell(42)).toBe('42');
    expect(formatCell(0.123456)).toBe('0.123');
    expect(formatCell(0.123456, 1)).toBe('0.1');
  });

  it('shows missing values as a dash', () => {
    expect(formatCell(null)).toBe('-');
    expect(formatCell(undefined)).toBe('-');
  });

  it('writes objects as compact JSON', () => {
    expect(formatCell({ a: [1, 2] })).toBe('{"a":[1,2]}');
  });

  it('writes non-finite numbers by name', () => {
    expect(formatCell(Number.NaN)).toBe('NaN');
    expect(formatCell(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });
});

describe('formatTable', () => {
  it('aligns text left and numbers right', () => {
    const text = formatTable([
      { method: 'replay', accuracy: 0.8 },
      { method: 'der++', accuracy: 12.25 },
    ]);
    expect(text).toBe(
      ['method  accuracy', '------  --------', 'replay     0.800', 'der++     12.250', ''].join(
        '\n',
      ),
    );
  });

  it('gives every number in a fractional column the same digits', () => {
    const text = formatTable([{ accuracy: 1 }, { accuracy: 0.5 }]);
    expect(text.split('\n').slice(2, 4)).toEqual(['   1.000', '   0.500']);
  });

  it('uses the given columns and headers', () => {
    const text = formatTable(
      [{ a: 1, b: 'x', c: 'hidden' }],
      [{ key: 'b', header: 'B' }, { key: 'a' }],
    );
    expect(text.split('\n')[0]).toBe('B  a');
    expect(text).not.toContain('hidden');
  });

  it('collects keys from every row', () => {
    const text = formatTable([{ a: 1 }, { b: 2 }]);
    const lines = text.split('\n');
    expect(lines[0]).toBe('a  b');
    expect(lines[2]).toBe('1  -');
    expect(lines[3]).toBe('-  2');
  });

  it('reports an empty table', () => {
    expect(formatTable([])).toBe('(no rows)\n');
  });
});

describe('flattenObject', () => {
  it('joins nested keys with dots and keeps arrays whole', () => {
    const entries = flattenObject({ ticks: 3, memory: { accepted: 2, ids: [1] }, none: null });
    expect(entries).toEqual([
      ['ticks', 3],
      ['memory.accepted', 2],
      ['memory.ids', [1]],
      ['none', null],
    ]);
  });
});

describe('formatSummary', () => {
  it('prints one row per leaf field', () => {
    const text = formatSummary({ ledger: { records: 10, headHash: 'ab' } });
    expect(text).toContain('ledger.records   10');
    expect(text).toContain('ledger.headHash  ab');
  });
});
