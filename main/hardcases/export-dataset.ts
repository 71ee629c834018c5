/**
 * The labelled hard cases as a dataset the trainer reads: an ImageFolder with `manifest.jsonl`.
 * Each case's split follows from its hash alone, so the held-out set stays the same across
 * exports (a case never moves from validation into training). Generated scenes can be mixed in
 * at a chosen share of the result (the plan's 70 % real / 30 % synthetic), in training only: the
 * held-out set stays real.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetEntry } from '../../shared/domain/dataset.js';
import { writeFileDurably } from '../base/durable-file.js';
import { DatasetExistsError, renderStreetImage } from '../scenes/generate.js';
import { deriveSeed } from '../scenes/rng.js';
import type { HardCaseStore } from './hard-case-store.js';

export interface ExportOptions {
  out: string;
  /** Share of real cases held out for validation. */
  heldOut?: number;
  /** Generated scenes as this share of the exported images (0.3 for 70 % real / 30 % synthetic). */
  synthetic?: { share: number; seed: number };
}

export interface ExportSummary {
  real: number;
  synthetic: number;
  train: number;
  val: number;
  roadwork: number;
  none: number;
  /** sha256 of the manifest's sorted lines: what the model registry records as its data. */
  dataHash: string;
  manifest: string;
}

/** Share of real cases held out for validation unless an export says otherwise. */
export const DEFAULT_HELD_OUT = 0.1;

/** Whether a case is held out: a pure function of its hash, the same in every export. */
export function isHeldOut(hash: string, share: number): boolean {
  const draw = parseInt(createHash('sha256').update(`held-out:${hash}`).digest('hex').slice(0, 8), 16) / 2 ** 32;
  return draw < share;
}

export async function exportDataset(store: HardCaseStore, options: ExportOptions): Promise<ExportSummary> {
  const heldOut = options.heldOut ?? DEFAULT_HELD_OUT;
  const manifest = join(options.out, 'manifest.jsonl');
  await mkdir(options.out, { recursive: true });
  if ((await readdir(options.out)).includes('manifest.jsonl'))
    throw new DatasetExistsError(`${options.out} already holds a dataset (manifest.jsonl): choose an empty folder.`);
  await mkdir(join(options.out, 'roadwork'), { recursive: true });
  await mkdir(join(options.out, 'none'), { recursive: true });

  const entries: DatasetEntry[] = [];
  for (const label of ['roadwork', 'none'] as const) {
    for (const hardCase of store.list(1_000_000, 0, label)) {
      const file = `${label}/${hardCase.hash.slice(0, 24)}.jpg`;
      await copyFile(store.imagePath(hardCase.hash), join(options.out, file));
      entries.push({
        file,
        label,
        split: isHeldOut(hardCase.hash, heldOut) ? 'val' : 'train',
        source: hardCase.source,
      });
    }
  }
  const real = entries.length;
  const share = options.synthetic?.share ?? 0;
  const synthetic = share > 0 && share < 1 ? Math.round((real * share) / (1 - share)) : 0;
  for (let i = 0; i < synthetic; i++) {
    const label = i % 2 === 0 ? 'roadwork' : 'none';
    const seed = deriveSeed(options.synthetic!.seed, i);
    const image = await renderStreetImage(seed, label);
    const file = `${label}/generated-${String(i).padStart(6, '0')}.jpg`;
    await writeFile(join(options.out, file), image.jpeg);
    entries.push({ file, label, split: 'train', source: 'generated', seed });
  }

  const lines = entries.map((entry) => JSON.stringify(entry));
  const dataHash = createHash('sha256')
    .update([...lines].sort().join('\n'))
    .digest('hex');
  await writeFileDurably(manifest, lines.join('\n') + '\n', { mode: 0o666 });
  return {
    real,
    synthetic,
    train: entries.filter((e) => e.split === 'train').length,
    val: entries.filter((e) => e.split === 'val').length,
    roadwork: entries.filter((e) => e.label === 'roadwork').length,
    none: entries.filter((e) => e.label === 'none').length,
    dataHash,
    manifest,
  };
}
