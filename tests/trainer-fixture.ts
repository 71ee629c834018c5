import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetEntrySchema } from '../shared/domain/dataset.js';

/**
 * The trainer's data hash, computed independently: "sha256:" and the SHA-256 of the sorted lines
 * `file<TAB>label<TAB>sha256(file bytes)`, joined by newlines, over every image listed.
 */
export async function datasetHash(dir: string): Promise<string> {
  const manifest = await readFile(join(dir, 'manifest.jsonl'), 'utf8');
  const entries = manifest
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => DatasetEntrySchema.parse(JSON.parse(line)));
  const lines = await Promise.all(
    entries.map(async ({ file, label }) => {
      const digest = createHash('sha256')
        .update(await readFile(join(dir, file)))
        .digest('hex');
      return `${file}\t${label}\t${digest}`;
    }),
  );
  return `sha256:${createHash('sha256').update(lines.sort().join('\n')).digest('hex')}`;
}

/**
 * A stand-in `transformers` package for the trainer's `--base hf:` path, where the real one (and
 * any model) is absent: AutoImageProcessor (64 px, ImageNet mean and std) and a tiny ViT-like
 * AutoModelForImageClassification whose `classifier` reads the CLS token. Both load only from a
 * local folder, as the trainer asks (`local_files_only`); anything else fails as the real one does.
 */
const FAKE_TRANSFORMERS = `
import os

import torch


def _local(reference):
    if not os.path.isdir(reference):
        raise OSError(
            "We couldn't connect to 'https://huggingface.co' to load the files, and couldn't find them in the"
            " cached files.\\nCheck your connection or see how to run the library in offline mode."
        )


class AutoImageProcessor:
    size = {"height": 64, "width": 64}
    image_mean = [0.485, 0.456, 0.406]
    image_std = [0.229, 0.224, 0.225]

    @classmethod
    def from_pretrained(cls, reference, local_files_only=False):
        assert local_files_only, "the trainer must never download"
        _local(reference)
        return cls()


class _Output:
    def __init__(self, logits, hidden_states):
        self.logits = logits
        self.hidden_states = hidden_states


class _TinyVit(torch.nn.Module):
    def __init__(self, num_labels):
        super().__init__()
        self.patch = torch.nn.Conv2d(3, 24, 16, stride=16)
        self.cls = torch.nn.Parameter(torch.zeros(1, 1, 24))
        self.mix = torch.nn.TransformerEncoderLayer(24, 2, 48, batch_first=True)
        self.norm = torch.nn.LayerNorm(24)
        self.classifier = torch.nn.Linear(24, num_labels)

    def forward(self, pixel_values, output_hidden_states=False, return_dict=True):
        tokens = self.patch(pixel_values).flatten(2).transpose(1, 2)
        tokens = torch.cat([self.cls.expand(tokens.shape[0], -1, -1), tokens], 1)
        hidden = self.mix(tokens)
        logits = self.classifier(self.norm(hidden)[:, 0])
        return _Output(logits, (tokens, hidden) if output_hidden_states else None)


class AutoModelForImageClassification:
    @classmethod
    def from_pretrained(cls, reference, local_files_only=False, num_labels=2, ignore_mismatched_sizes=False, **_):
        assert local_files_only, "the trainer must never download"
        assert ignore_mismatched_sizes, "a pretrained head rarely has our two labels"
        _local(reference)
        return _TinyVit(num_labels)
`;

/** The embedding width of the stand-in model. */
export const FAKE_HF_EMBEDDING = 24;

/**
 * Writes a `transformers` package into `dir` for PYTHONPATH: the stand-in above, or with
 * `missing`, one whose import fails as on a box without the package.
 */
export async function writeFakeTransformers(dir: string, options: { missing?: boolean } = {}): Promise<string> {
  await mkdir(join(dir, 'transformers'), { recursive: true });
  const source = options.missing ? 'raise ImportError("No module named \'transformers\'")\n' : FAKE_TRANSFORMERS;
  await writeFile(join(dir, 'transformers', '__init__.py'), source);
  return dir;
}

/** Runs `start` with extra environment variables, which a child spawned inside it inherits. */
export function withEnv<T>(vars: Record<string, string>, start: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  Object.assign(process.env, vars);
  try {
    return start();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
