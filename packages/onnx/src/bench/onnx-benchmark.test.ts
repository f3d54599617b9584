import { describe, expect, it } from 'vitest';
import { doctor } from './doctor.js';
import { runOnnxBenchmark } from './onnx-benchmark.js';

describe('onnx benchmark and doctor', () => {
  it('reports CPU loading and CUDA failing with a reason', async () => {
    const report = await doctor();
    const cpu = report.providers.find((provider) => provider.name === 'cpu');
    const cuda = report.providers.find((provider) => provider.name === 'cuda');
    expect(report.onnxruntimeVersion).toBe('1.31.1');
    expect(cpu?.loads).toBe(true);
    expect(cuda?.loads).toBe(false);
    expect(cuda?.reason).toMatch(/libonnxruntime_providers/);
  });

  it('returns every benchmark row for a small model', async () => {
    const rows = await runOnnxBenchmark({ layers: [6, 5, 3], scale: 0.01, workers: 1 });
    const keys = rows.map((row) => `${row.name}/${row.engine}/${row.batch}`);
    expect(keys).toEqual([
      'forward/onnxruntime/1',
      'forward/typescript/1',
      'forward/onnxruntime/16',
      'forward/typescript/16',
      'forward/onnxruntime/256',
      'forward/typescript/256',
      'gradient/onnxruntime/128',
      'gradient/typescript/128',
      'jacobian/onnxruntime/32',
      'jacobian/typescript/32',
      'forward throughput/worker pool/16',
    ]);
    for (const row of rows.slice(0, -1)) expect(row.medianMs).toBeGreaterThan(0);
  });
});
