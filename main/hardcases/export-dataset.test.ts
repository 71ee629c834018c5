import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetEntrySchema } from '../../shared/domain/dataset.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { listLabelledImages } from '../scoring/labelled-folder.js';
import { openDatabase } from '../store/database.js';
import { MIGRATIONS } from '../store/migrations.js';
import { exportDataset } from './export-dataset.js';
import { HardCaseStore } from './hard-case-store.js';

const tempDir = useTempDirs();

async function storeWith(count: number): Promise<{ store: HardCaseStore; hashes: string[] }> {
  const dir = await tempDir();
  const store = new HardCaseStore(openDatabase(join(dir, 'console.db'), MIGRATIONS), join(dir, 'images'));
  const hashes: string[] = [];
  for (let i = 0; i < count; i++) {
    const seen = {
      source: 'challenge' as const,
      time: new Date().toISOString(),
      validator: null,
      prediction: 0.6,
      firstStage: null,
      secondStage: null,
      testnetLabel: null,
    };
    hashes.push((await store.addImage(Buffer.from(`case ${i}`), seen)).hash);
  }
  return { store, hashes };
}

describe('exporting the labelled hard cases', () => {
  it('writes an ImageFolder and manifest the trainer reads, without skipped or unlabelled cases', async () => {
    const { store, hashes } = await storeWith(10);
    store.label(hashes.slice(0, 4), 'roadwork', 'op');
    store.label(hashes.slice(4, 7), 'none', 'op');
    store.label(hashes.slice(7, 8), 'skip', 'op');
    const out = await tempDir();
    const summary = await exportDataset(store, { out, heldOut: 0.3 });
    expect(summary).toMatchObject({ real: 7, synthetic: 0, roadwork: 4, none: 3 });
    expect(summary.train + summary.val).toBe(7);
    const lines = (await readFile(summary.manifest, 'utf8')).trim().split('\n');
    for (const line of lines) expect(DatasetEntrySchema.safeParse(JSON.parse(line)).success, line).toBe(true);
    expect(await listLabelledImages(out)).toHaveLength(7);
    await expect(exportDataset(store, { out })).rejects.toThrow(/already holds a dataset/);
  });

  it('keeps each case on the same side of the held-out split in every export', async () => {
    const { store, hashes } = await storeWith(60);
    store.label(hashes.slice(0, 30), 'roadwork', 'op');
    const first = await exportDataset(store, { out: await tempDir(), heldOut: 0.2 });
    store.label(hashes.slice(30), 'none', 'op');
    const second = await exportDataset(store, { out: await tempDir(), heldOut: 0.2 });
    const split = async (manifest: string) =>
      new Map(
        (await readFile(manifest, 'utf8'))
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { file: string; split: string })
          .map((entry) => [entry.file.split('/')[1], entry.split]),
      );
    const before = await split(first.manifest);
    const after = await split(second.manifest);
    for (const [file, side] of before) expect(after.get(file), file).toBe(side);
    expect(second.val).toBeGreaterThan(0);
    expect(second.dataHash).not.toBe(first.dataHash);
  });

  it('mixes generated scenes in at the chosen share, in training only', async () => {
    const { store, hashes } = await storeWith(14);
    store.label(hashes.slice(0, 7), 'roadwork', 'op');
    store.label(hashes.slice(7), 'none', 'op');
    const summary = await exportDataset(store, {
      out: await tempDir(),
      heldOut: 0.5,
      synthetic: { share: 0.3, seed: 5 },
    });
    expect(summary).toMatchObject({ real: 14, synthetic: 6 });
    const entries = (await readFile(summary.manifest, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { source: string; split: string });
    expect(entries.filter((e) => e.source === 'generated').every((e) => e.split === 'train')).toBe(true);
  });
});
