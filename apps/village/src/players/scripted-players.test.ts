import { SeededRandom } from '@galt/core';
import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../curriculum/data-dir.js';
import { loadCurriculum } from '../curriculum/load-curriculum.js';
import { readNaughtyWordsEnglish } from '../rules/language-boundary.js';
import { playerScriptData } from '../run/village-data.js';
import { VillageWorld } from '../world/village-world.js';
import { ScriptedPlayers } from './scripted-players.js';

const data = playerScriptData(
  loadCurriculum(resolveDataDir(), 'validation'),
  readNaughtyWordsEnglish(),
);

function makePlayers(seed: number): ScriptedPlayers {
  const players = Array.from({ length: 6 }, (_, index) => ({
    id: `p${index}`,
    zone: 'square' as const,
    questStage: 0,
    coins: 50,
  }));
  return new ScriptedPlayers(new VillageWorld({ players }), data, new SeededRandom(seed));
}

describe('ScriptedPlayers', () => {
  it('addresses each NPC at most once per tick', () => {
    const players = makePlayers(3);
    for (let tick = 1; tick <= 30; tick += 1) {
      const addressed = players
        .eventsFor(tick)
        .flatMap((event) => ('agentId' in event && event.agentId ? [event.agentId] : []));
      expect(new Set(addressed).size).toBe(addressed.length);
    }
  });

  it('repeats for one seed', () => {
    const first = makePlayers(9);
    const second = makePlayers(9);
    for (let tick = 1; tick <= 10; tick += 1) {
      expect(second.eventsFor(tick)).toEqual(first.eventsFor(tick));
    }
  });

  it('resumes from a snapshot', () => {
    const original = makePlayers(4);
    original.eventsFor(1);
    const copy = makePlayers(4);
    copy.restore(original.snapshot());
    expect(copy.eventsFor(2)).toEqual(original.eventsFor(2));
  });
});
