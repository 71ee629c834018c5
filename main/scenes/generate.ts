import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetEntry, DatasetLabel } from '../../shared/domain/dataset.js';
import { writeFileDurably } from '../base/durable-file.js';
import { distort, type AugmentationLevel, type Distortions } from './distort.js';
import { deriveSeed, Rng } from './rng.js';
import { drawScene, type Scene } from './scene.js';

export interface StreetImage {
  jpeg: Buffer;
  label: DatasetLabel;
  seed: number;
  scene: Omit<Scene, 'svg'>;
  distortions: Distortions;
}

/** The undistorted scene of a seed and label (its SVG, before any of the validators' augmentation). */
export function streetScene(seed: number, label: DatasetLabel): Scene {
  return drawScene(new Rng(seed), label === 'roadwork');
}

/** One labelled street image, a pure function of its seed and label. */
export async function renderStreetImage(
  seed: number,
  label: DatasetLabel,
  level?: AugmentationLevel,
): Promise<StreetImage> {
  const scene = streetScene(seed, label);
  // The distortions draw from their own stream, so they do not shift when a scene changes.
  const { jpeg, distortions } = await distort(scene.svg, new Rng(deriveSeed(seed, 0x5eed)), level);
  const { svg: _svg, ...description } = scene;
  return { jpeg, label, seed, scene: description, distortions };
}

/** Item `index` of a set: labels alternate, so any prefix of a set is balanced. */
export function datasetItem(seed: number, index: number): { seed: number; label: DatasetLabel } {
  return { seed: deriveSeed(seed, index), label: index % 2 === 0 ? 'roadwork' : 'none' };
}

export interface DatasetOptions {
  out: string;
  count: number;
  seed: number;
  /** Only this augmentation level (default: each image draws one, as validators do). */
  level?: AugmentationLevel;
  onProgress?(done: number, total: number): void;
}

export class DatasetExistsError extends Error {}

/**
 * Writes an ImageFolder (`roadwork/`, `none/`) and its `manifest.jsonl`. Refuses a folder that
 * already holds a dataset rather than mixing two; the manifest appears last, atomically, so a
 * folder with a manifest always holds a whole set.
 */
export async function writeDataset(
  options: DatasetOptions,
): Promise<{ roadwork: number; none: number; manifest: string }> {
  const manifest = join(options.out, 'manifest.jsonl');
  await mkdir(options.out, { recursive: true });
  if ((await readdir(options.out)).includes('manifest.jsonl')) {
    throw new DatasetExistsError(`${options.out} already holds a dataset (manifest.jsonl): choose an empty folder.`);
  }
  await mkdir(join(options.out, 'roadwork'), { recursive: true });
  await mkdir(join(options.out, 'none'), { recursive: true });

  const entries: DatasetEntry[] = new Array<DatasetEntry>(options.count);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < options.count) {
      const index = next++;
      const item = datasetItem(options.seed, index);
      const image = await renderStreetImage(item.seed, item.label, options.level);
      const file = `${item.label}/${String(index).padStart(6, '0')}.jpg`;
      await writeFile(join(options.out, file), image.jpeg);
      entries[index] = {
        file,
        label: item.label,
        source: 'generated',
        seed: item.seed,
        distortions: { ...image.distortions, scene: image.scene },
      };
      options.onProgress?.(++done, options.count);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));

  await writeFileDurably(manifest, entries.map((entry) => JSON.stringify(entry)).join('\n') + '\n', { mode: 0o666 });
  const roadwork = entries.filter((entry) => entry.label === 'roadwork').length;
  return { roadwork, none: options.count - roadwork, manifest };
}
