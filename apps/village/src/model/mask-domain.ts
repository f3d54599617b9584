/**
 * The curriculum's layer ids are a fixed function of its four domains, and packet rows name their
 * domain and concept inside `context`. A model that reads those names learns the lookup table, not
 * safety, so every text the model reads goes through `maskDomainNames` first.
 */
export const CURRICULUM_DOMAINS = [
  'safety_boundary',
  'preference',
  'workflow',
  'tutoring',
] as const;

/** Placeholder written where a domain name was. */
export const DOMAIN_MASK = '[domain]';

const LABELLED_CLAUSE = /\b(?:Concept|Domain):\s*[^.]*\.\s*/gi;
const DOMAIN_WORDS = /\b(?:safety[\s_-]+boundar(?:y|ies)|preferences?|workflows?|tutoring)\b/gi;

/** Removes `Concept: …` and `Domain: …` clauses and masks every remaining domain name. */
export function maskDomainNames(text: string): string {
  return text.replace(LABELLED_CLAUSE, '').replace(DOMAIN_WORDS, DOMAIN_MASK).trim();
}
