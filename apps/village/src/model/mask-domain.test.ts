import { describe, expect, it } from 'vitest';
import { maskDomainNames } from './mask-domain.js';

describe('maskDomainNames', () => {
  it('drops concept and domain clauses', () => {
    const text =
      'Concept: syntax_error_recurrence. Domain: tutoring. Write condition: same error thrice.';
    expect(maskDomainNames(text)).toBe('Write condition: same error thrice.');
  });

  it('masks free-standing domain names', () => {
    const masked = maskDomainNames('A workflow rule and a Safety boundary on preferences.');
    expect(masked).toBe('A [domain] rule and a [domain] on [domain].');
  });

  it('leaves other words alone', () => {
    expect(maskDomainNames('The tutor prefers flows.')).toBe('The tutor prefers flows.');
  });
});
