import { markdownTable } from './format-text.js';
import type { HeadAccuracy } from './head-metrics.js';
import { CLASS_HEAD_NAMES, CLASS_HEADS, type ClassHead } from './heads.js';

/** Facts the model card states about one trained model. */
export interface ModelCardFacts {
  fileName: string;
  bytes: number;
  parameterCount: number;
  sha256: string;
  dataDigest: string;
  featureDimension: number;
  hiddenSize: number;
  seed: number;
  steps: number;
  batchSize: number;
  learningRate: number;
  trainRows: { routing: number; memory: number; packet: number };
  validationRows: { routing: number; memory: number; packet: number };
  validation: Record<ClassHead, HeadAccuracy>;
  gateMeanAbsoluteError: number | null;
  finalLoss: number;
}

function formatAccuracy(entry: HeadAccuracy): string {
  if (entry.accuracy === null) return 'n/a (no labelled rows)';
  return `${entry.accuracy.toFixed(3)} (${entry.correct}/${entry.total})`;
}

/** Renders the model card as Markdown. */
export function renderModelCard(facts: ModelCardFacts): string {
  const headTable = markdownTable(
    ['Head', 'Classes', 'Accuracy'],
    CLASS_HEAD_NAMES.map((head) => [
      head,
      CLASS_HEADS[head].join(', '),
      formatAccuracy(facts.validation[head]),
    ]),
  );
  const gate =
    facts.gateMeanAbsoluteError === null ? 'n/a' : facts.gateMeanAbsoluteError.toFixed(3);
  return `# typed-channel model card

A small multi-head classifier for the village's memory, teacher-routing and safety channels.

- File: \`${facts.fileName}\`, ${facts.bytes} bytes, ${facts.parameterCount} parameters.
- SHA-256: \`${facts.sha256}\`.
- ONNX opset 17, weights stored as initializers.

## Inputs and outputs

- \`features\`: float32 [batch, ${facts.featureDimension}], signed hashed unigrams and bigrams of
  the text, L2-normalised (\`hashedNgramFeatures\` from @galt/core).
- Encoder: Gemm + Tanh to ${facts.hiddenSize} units, exported as \`hidden\`.
- One \`<head>_logits\` output per head below, and \`gate\`: float32 [batch, 3] after a sigmoid.

## Data

Trained on the curriculum's train split only:

- ${facts.trainRows.routing} teacher-routing rows;
- ${facts.trainRows.memory} adjudicated-memory rows, of which ${facts.trainRows.packet} come from
  contrast packets and carry layer ids;
- train split SHA-256: \`${facts.dataDigest}\`.

The educational web-text rows are not used. Each head learns only from rows that carry its
label.

The curriculum's layer ids are a fixed function of the packet's domain, and the domain and
concept are written inside \`context\`. Before featurisation, \`Concept: …\` and \`Domain: …\`
clauses are removed and every remaining domain name (safety boundary, preference, workflow,
tutoring) is replaced by \`[domain]\`, so the layer heads cannot read the lookup key.

## Validation (curriculum validation split)

${facts.validationRows.routing} routing rows and ${facts.validationRows.memory} memory rows, of
which ${facts.validationRows.packet} come from packets. Accuracy of the argmax class on the rows
that carry each head's label:

${headTable}

Gate mean absolute error: ${gate}. Final training loss: ${facts.finalLoss.toFixed(4)}.

## Limits

- The layer heads only propose a memory layer and a violation layer. Access is decided by the
  ledger's access rule in @galt/core, never by these heads.
- No curriculum row has memory layer L1, so that class is never trained.
- The validation split has no workflow packet, and its packet rows come from seven packets, so
  the layer-head figures rest on few rows.
- With a whole domain held out, the layer heads cannot name that domain's layers (see
  \`galt eval access\`), because the curriculum gives each domain fixed layer ids.

## Rebuilding

\`galt train\` (or \`trainTypedChannelModel()\` from @galt/village) rebuilds this file, its
manifest and this card. Settings: seed ${facts.seed}, ${facts.steps} Adam steps, batch
${facts.batchSize}, learning rate ${facts.learningRate}. Batches come from a seeded shuffle, and
two runs with one seed gave identical bytes on the build machine. onnxruntime picks its thread
count per machine, and bytes built on another machine were not checked against these.
`;
}
