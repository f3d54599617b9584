/** Attribute keys scripted players attach to utterances, so NPC policies know the intent. */
export const INTENT = 'intent';
export const ROW_ID = 'rowId';
export const CONSENT = 'consent';
export const ITEM = 'item';

/** Intent of a scripted player's utterance. */
export const UTTERANCE_INTENTS = ['memory', 'preference', 'question', 'insult', 'chatter'] as const;
export type UtteranceIntent = (typeof UTTERANCE_INTENTS)[number];

/** Things scripted players do each tick, with their relative weights. */
export const PLAYER_MOVES = {
  shareMemory: 3,
  statePreference: 1.5,
  askTeacher: 2,
  trade: 1.5,
  gift: 0.5,
  requestPass: 1,
  attackInSquare: 0.3,
  requestCharter: 0.4,
  insult: 0.3,
  placeNameChatter: 0.3,
  chatter: 0.5,
} as const;
export type PlayerMove = keyof typeof PLAYER_MOVES;

/** Share of memory utterances and preferences shared with consent; the rest withdraw it. */
export const CONSENT_GIVEN_SHARE = 0.85;
/** Chance that a player acts on a tick. */
export const DEFAULT_ACTIVITY = 0.8;
/** Maximum length of a chatter line taken from a web-text row, in characters. */
export const MAX_CHATTER_LENGTH = 240;

/**
 * Real place names that contain a listed term inside a longer word. Players mention them so the
 * run shows that the language boundary lets them through.
 */
export const HARD_NEGATIVE_PLACES = ['Scunthorpe', 'Sussex', 'Essex', 'Middlesex', 'Cockermouth'];
