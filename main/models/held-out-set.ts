/**
 * The fixed held-out set a candidate and the live model are judged on: the `val` split of the
 * labelled hard cases, written by the same export the trainer's datasets come from (each case's
 * split follows from its hash, so no model trained on those exports has seen them). With too few
 * labelled held-out images to mean anything, generated scenes stand in, and the report says so:
 * the console ships no sample labelled photos.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { exportDataset } from '../hardcases/export-dataset.js';
import type { HardCaseStore } from '../hardcases/hard-case-store.js';
import { writeDataset } from '../scenes/generate.js';

/** Fewer labelled held-out images than this and the fallback is used. */
export const MIN_HELD_OUT_IMAGES = 20;
/** The share of labelled cases held out: the export's default, which the training runs use too. */
export const HELD_OUT_SHARE = 0.1;

export interface HeldOutSet {
  dir: string;
  split: 'val' | undefined;
  source: 'hardcases' | 'generated';
  images: number;
  note: string | null;
  /** Removes what was written only for this evaluation. */
  dispose(): Promise<void>;
}

export interface FallbackScenes {
  /** Kept between evaluations: the same seed gives the same bytes. */
  dir: string;
  count: number;
  seed: number;
}

export async function prepareHeldOutSet(
  store: HardCaseStore,
  scratchDir: string,
  fallback: FallbackScenes,
): Promise<HeldOutSet> {
  const exported = await mkdtemp(join(scratchDir, 'held-out-'));
  const removeExport = () => rm(exported, { recursive: true, force: true });
  const val = await exportDataset(store, { out: exported, heldOut: HELD_OUT_SHARE }).then(
    (summary) => summary.val,
    async (error: unknown) => {
      await removeExport();
      throw error;
    },
  );
  if (val >= MIN_HELD_OUT_IMAGES) {
    return { dir: exported, split: 'val', source: 'hardcases', images: val, note: null, dispose: removeExport };
  }
  await removeExport();
  await ensureScenes(fallback);
  return {
    dir: fallback.dir,
    split: undefined,
    source: 'generated',
    images: fallback.count,
    note:
      `Only ${val} labelled held-out image${val === 1 ? '' : 's'} (fewer than ${MIN_HELD_OUT_IMAGES}): judged on ` +
      `${fallback.count} generated scenes (seed ${fallback.seed}) instead, as the console ships no sample labelled photos. ` +
      'Label more hard cases for a judgement on real images.',
    dispose: () => Promise.resolve(),
  };
}

async function ensureScenes(fallback: FallbackScenes): Promise<void> {
  const present = await readdir(fallback.dir).catch(() => [] as string[]);
  if (present.includes('manifest.jsonl')) return;
  // A folder without its manifest is a set whose writing was cut short: start it again.
  await rm(fallback.dir, { recursive: true, force: true });
  await writeDataset({ out: fallback.dir, count: fallback.count, seed: fallback.seed });
}
