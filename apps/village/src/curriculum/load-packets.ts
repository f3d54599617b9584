import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GaltError } from '@galt/core';
import { type LoadIssue, parseJsonLines, readDataFile, validateLine } from './jsonl.js';
import { type ContrastPacket, ContrastPacketSchema } from './schemas.js';

/** The contrast packets of a curriculum directory, and the rows that were skipped. */
export interface PacketSet {
  packets: ContrastPacket[];
  issues: LoadIssue[];
}

/** Folder of the contrast packets inside a curriculum directory. */
export const PACKET_FOLDER = 'contrast-lessons';

/** Loads every `*.jsonl` file under `<dir>/contrast-lessons`, in file-name order. */
export function loadContrastPackets(dir: string): PacketSet {
  const folder = join(dir, PACKET_FOLDER);
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.endsWith('.jsonl'));
  } catch {
    throw new GaltError('not_found', `contrast packet folder ${folder} is missing`, {
      remedy: 'pass a galt-curriculum directory that contains contrast-lessons/',
    });
  }
  const result: PacketSet = { packets: [], issues: [] };
  for (const name of names.sort()) {
    const file = join(folder, name);
    for (const { line, value } of parseJsonLines(readDataFile(file), file, result.issues)) {
      const packet = validateLine(ContrastPacketSchema, value, file, line, result.issues);
      if (packet !== undefined) result.packets.push(packet);
    }
  }
  return result;
}
