/**
 * What a publication writes beside the model: `model_card.json` exactly as the subnet asks, and a
 * README.md model card for the Hub (YAML front matter, then metrics, data hash, parent and how
 * the model was trained, from its manifest).
 */
import type { ModelManifest } from '../../shared/domain/model-manifest.js';
import type { RegisteredModel } from '../../shared/domain/model-registry.js';
import { ModelCardSchema, type ModelCard } from '../../shared/domain/publish.js';

export function buildModelCard(model: RegisteredModel, hotkeySs58: string, now: Date): ModelCard {
  return ModelCardSchema.parse({
    model_name: model.name,
    description: `Roadwork classifier for the StreetVision subnet (netuid 72): ${model.architecture}, answers P(roadwork) for a street image.`,
    version: model.version,
    submitted_by: hotkeySs58,
    submission_time: Math.floor(now.getTime() / 1000),
  });
}

const FRONT_MATTER = `---
library_name: onnx
pipeline_tag: image-classification
tags:
  - onnx
  - image-classification
  - roadwork
  - bittensor
  - streetvision
  - natix
---`;

const percent = (value: number | null): string => (value === null ? '—' : `${(value * 100).toFixed(1)} %`);
const plain = (value: number | null): string => (value === null ? '—' : value.toFixed(4));

export function buildReadme(
  model: RegisteredModel,
  manifest: ModelManifest,
  card: ModelCard,
  repo: string | null,
): string {
  const { training } = manifest;
  const lines = [
    FRONT_MATTER,
    '',
    `# ${model.name} ${model.version}`,
    '',
    `${card.description} Published for the hotkey \`${card.submitted_by}\`${repo ? ` as \`${repo}\`` : ''}.`,
    '',
    '## Metrics (validation split)',
    '',
    '| metric | value |',
    '| --- | --- |',
    `| accuracy | ${percent(model.metrics.valAccuracy)} |`,
    `| MCC | ${plain(model.metrics.valMcc)} |`,
    `| loss | ${plain(model.metrics.valLoss)} |`,
    '',
    '## Data',
    '',
    `- Data hash: \`${model.dataHash}\``,
    `- Images: ${training.images.train} for training, ${training.images.val} for validation`,
    ...(training.dataCommand ? [`- Made with: \`${training.dataCommand}\``] : []),
    '',
    '## Lineage',
    '',
    `- Parent: ${model.parentId ? `\`${model.parentId}\`` : 'none (trained from its base)'}`,
    `- Origin: ${model.origin.kind}`,
    '',
    '## How it was trained',
    '',
    `- Architecture: \`${manifest.architecture}\``,
    `- ${training.epochs} epochs, ${training.steps} steps, seed ${training.seed}, on ${training.device} (${Math.round(training.durationS)} s)`,
    `- Command: \`${training.command}\``,
    '',
    '## Use',
    '',
    `\`${manifest.file}\` takes \`${manifest.input.name}\`: RGB, NCHW, ${manifest.input.width}×${manifest.input.height}, ` +
      `pixels as (value / 255 − mean) / std with mean ${JSON.stringify(manifest.input.mean)} and std ${JSON.stringify(manifest.input.std)}. ` +
      `Softmax of \`${manifest.outputs.logits}\` over ${JSON.stringify(manifest.labels)}; the miner answers the \`${manifest.positiveLabel}\` score. ` +
      '`model.json` describes it for the StreetVision console.',
    '',
  ];
  return lines.join('\n');
}
