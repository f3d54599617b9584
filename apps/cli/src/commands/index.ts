import { type AnyCommand, eraseCommand } from '../command.js';
import { auditCommand } from './audit.js';
import { benchContinualCommand } from './bench-continual.js';
import { benchCoreCommand } from './bench-core.js';
import { benchMemoryWritesCommand } from './bench-memory-writes.js';
import { benchOnnxCommand } from './bench-onnx.js';
import { benchRuntimeCommand } from './bench-runtime.js';
import { benchServerCommand } from './bench-server.js';
import { benchStoreCommand } from './bench-store.js';
import { benchUpdaterCommand } from './bench-updater.js';
import { benchVillageCommand } from './bench-village.js';
import { doctorCommand } from './doctor.js';
import { evalAccessCommand } from './eval-access.js';
import { evalGateCommand } from './eval-gate.js';
import { replayCommand } from './replay/replay-command.js';
import { reportCommand } from './report.js';
import { runCommand } from './run/run-command.js';
import { trainCommand } from './train.js';

/** Every `galt` command, in the order the command list shows them. */
export const allCommands: readonly AnyCommand[] = [
  eraseCommand(runCommand),
  eraseCommand(auditCommand),
  eraseCommand(replayCommand),
  eraseCommand(reportCommand),
  eraseCommand(evalGateCommand),
  eraseCommand(evalAccessCommand),
  eraseCommand(trainCommand),
  eraseCommand(doctorCommand),
  eraseCommand(benchContinualCommand),
  eraseCommand(benchMemoryWritesCommand),
  eraseCommand(benchUpdaterCommand),
  eraseCommand(benchVillageCommand),
  eraseCommand(benchRuntimeCommand),
  eraseCommand(benchStoreCommand),
  eraseCommand(benchServerCommand),
  eraseCommand(benchOnnxCommand),
  eraseCommand(benchCoreCommand),
];
