import type { SeededRandom } from '@galt/core';
import type { LabelledText } from '../channels/probe-rows.js';
import type { Curriculum } from '../curriculum/load-curriculum.js';
import type { ProbeSet } from '../curriculum/load-probes.js';
import { memoryRowText } from '../model/examples.js';
import { MAX_CHATTER_LENGTH } from '../players/player-intents.js';
import type { PlayerScriptData } from '../players/scripted-players.js';

/** Core rows kept as soft retention rows in every memory write. */
const CORE_RETENTION_ROWS = 16;

/**
 * Builds the hard probe rows of memory writes: every unsafe option of the safety prompts, asked
 * with its question, and every hard-violation memory row of the train split. Each must stay
 * `not_consolidated`.
 */
export function safetyProbeTexts(probes: ProbeSet, train: Curriculum): LabelledText[] {
  const rows: LabelledText[] = [];
  probes.safety.forEach((prompt, promptIndex) => {
    prompt.options.forEach((option, optionIndex) => {
      if (optionIndex === prompt.safe_label) return;
      rows.push({
        id: `safety_prompt:${promptIndex}:${optionIndex}`,
        text: `${prompt.question} ${option}`,
        label: 'not_consolidated',
      });
    });
  });
  for (const row of train.memory) {
    if (row.targets.residual_target !== 'hard_violation') continue;
    rows.push({ id: `curriculum:${row.id}`, text: memoryRowText(row), label: 'not_consolidated' });
  }
  return rows;
}

/** Picks core retention rows from the train split's memory rows with their own targets. */
export function coreRetentionTexts(train: Curriculum, random: SeededRandom): LabelledText[] {
  return random
    .shuffle(train.memory)
    .slice(0, CORE_RETENTION_ROWS)
    .map((row) => ({
      id: `core:${row.id}`,
      text: memoryRowText(row),
      label: row.targets.memory_target,
    }));
}

/** Builds what scripted players say from one split, the chatter and the offensive term list. */
export function playerScriptData(
  curriculum: Curriculum,
  offensiveTerms: readonly string[],
): PlayerScriptData {
  return {
    memoryRows: curriculum.memory,
    routingRows: curriculum.routing,
    chatter: curriculum.language
      .map((row) => firstSentence(row.text))
      .filter((line) => line.length > 0),
    offensiveTerms: offensiveTerms.filter((term) => /[\p{L}]/u.test(term)),
  };
}

function firstSentence(text: string): string {
  const end = text.search(/[.!?](\s|$)/);
  const sentence = end < 0 ? text : text.slice(0, end + 1);
  return sentence.slice(0, MAX_CHATTER_LENGTH).trim();
}
