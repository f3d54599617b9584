import { defineCommand } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { flagOption } from '../options.js';
import { printRows } from './output.js';

/** Pointer printed when CUDA does not load, because the fix is a manual install step. */
const GPU_NOTES = 'See packages/onnx/README.md for how to add the CUDA execution provider files.';

/** `galt doctor`: which ONNX execution providers load on this machine. */
export const doctorCommand = defineCommand({
  name: 'doctor',
  summary: 'Check which ONNX Runtime execution providers load here (CPU, CUDA).',
  description:
    'Creates a tiny session on the CPU and CUDA execution providers and reports, for each\n' +
    'provider onnxruntime-node lists, whether it loads and why not. Exits 1 when even the CPU\n' +
    'provider fails to load.',
  options: {
    json: flagOption({ description: 'print the report as one JSON object' }),
  },
  examples: ['galt doctor', 'galt doctor --json'],
  async execute(values, io) {
    const { doctor } = await import('@galt/onnx');
    const report = await doctor();
    const cpu = report.providers.find((provider) => provider.name === 'cpu');
    const cpuLoads = cpu?.loads === true;
    if (values.json) {
      io.stdout.write(`${JSON.stringify(report)}\n`);
    } else {
      io.stdout.write(`onnxruntime-node ${report.onnxruntimeVersion}\n`);
      io.stdout.write(`binding directory: ${report.bindingDirectory ?? '(not found)'}\n\n`);
      printRows(io, 'doctor', report.providers, false, [
        { key: 'name', header: 'provider' },
        { key: 'bundled' },
        { key: 'loads' },
        { key: 'reason' },
      ]);
      const cuda = report.providers.find((provider) => provider.name === 'cuda');
      if (cuda?.loads !== true) io.stdout.write(`\n${GPU_NOTES}\n`);
    }
    return cpuLoads ? ExitCode.ok : ExitCode.failed;
  },
});
