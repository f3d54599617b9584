import ort from 'onnxruntime-node';
import { GraphBuilder } from '../builder/graph-builder.js';
import { encodeModel } from '../encoding/encode-model.js';
import { bindingDirectory } from '../runtime/execution-providers.js';
import { loadSession } from '../runtime/load-session.js';

/** Load check of one execution provider. */
export interface ProviderCheck {
  name: string;
  /** Whether onnxruntime-node ships the provider inside its own binding. */
  bundled: boolean;
  /** Whether a session was created on it here, or null when doctor does not try this provider. */
  loads: boolean | null;
  /** Reason the provider does not load, or null. */
  reason: string | null;
}

/** Report of `doctor` on the onnxruntime installation of this machine. */
export interface DoctorReport {
  onnxruntimeVersion: string;
  bindingDirectory: string | null;
  providers: ProviderCheck[];
}

/** Providers that doctor creates a session on. The others are only listed. */
const CHECKED_PROVIDERS = new Set(['cpu', 'cuda']);

function probeModel(): Uint8Array {
  const builder = new GraphBuilder('doctor');
  const x = builder.input('x', 'float32', [1, 2]);
  builder.output(builder.relu(x), 'y');
  return encodeModel(builder.build());
}

async function check(
  name: string,
  bytes: Uint8Array,
): Promise<Pick<ProviderCheck, 'loads' | 'reason'>> {
  try {
    const loaded = await loadSession(bytes, name === 'cuda' ? 'cuda' : 'cpu');
    await loaded.session.release();
    if (loaded.fallbackReason !== null) return { loads: false, reason: loaded.fallbackReason };
    return { loads: true, reason: null };
  } catch (error) {
    return { loads: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Lists the execution providers of onnxruntime-node and tries a session on CPU and on CUDA. */
export async function doctor(): Promise<DoctorReport> {
  const bytes = probeModel();
  const providers: ProviderCheck[] = [];
  for (const backend of ort.listSupportedBackends()) {
    const result = CHECKED_PROVIDERS.has(backend.name)
      ? await check(backend.name, bytes)
      : { loads: null, reason: null };
    providers.push({ name: backend.name, bundled: backend.bundled, ...result });
  }
  return {
    onnxruntimeVersion: ort.env.versions.node ?? ort.env.versions.common,
    bindingDirectory: bindingDirectory(),
    providers,
  };
}
