import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DatasetEntrySchema } from '../../shared/domain/dataset.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { DatasetExistsError, renderStreetImage, writeDataset } from './generate.js';

const tempDir = useTempDirs();
const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

async function folderDigest(dir: string): Promise<Record<string, string>> {
  const digest: Record<string, string> = {};
  for (const sub of ['roadwork', 'none']) {
    for (const name of (await readdir(join(dir, sub))).sort())
      digest[`${sub}/${name}`] = sha(await readFile(join(dir, sub, name)));
  }
  digest['manifest.jsonl'] = sha(await readFile(join(dir, 'manifest.jsonl')));
  return digest;
}

describe('street scene generator', () => {
  it('gives the same bytes for the same seed, and different images for different seeds', async () => {
    const a = await renderStreetImage(1234, 'roadwork');
    const b = await renderStreetImage(1234, 'roadwork');
    const c = await renderStreetImage(1235, 'roadwork');
    expect(sha(a.jpeg)).toBe(sha(b.jpeg));
    expect(sha(a.jpeg)).not.toBe(sha(c.jpeg));
  });

  it('writes the same dataset twice from the same seed, file for file', async () => {
    const [first, second] = [await tempDir(), await tempDir()];
    await writeDataset({ out: first, count: 12, seed: 77 });
    await writeDataset({ out: second, count: 12, seed: 77 });
    expect(await folderDigest(second)).toEqual(await folderDigest(first));
  });

  it('balances the labels and writes an ImageFolder of 224×224 JPEGs with a valid manifest', async () => {
    const out = await tempDir();
    const result = await writeDataset({ out, count: 40, seed: 3 });
    expect(result).toMatchObject({ roadwork: 20, none: 20 });
    const lines = (await readFile(join(out, 'manifest.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(40);
    const levels = new Set<unknown>();
    for (const line of lines) {
      const entry = DatasetEntrySchema.parse(JSON.parse(line));
      expect(entry.file.startsWith(`${entry.label}/`)).toBe(true);
      levels.add(entry.distortions?.level);
      const meta = await sharp(join(out, entry.file)).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 224, 224]);
    }
    // Each image draws one of the validators' four augmentation levels.
    expect([...levels].sort()).toEqual([0, 1, 2, 3]);
  });

  it('puts roadwork cues only in roadwork scenes', async () => {
    for (let seed = 0; seed < 20; seed++) {
      expect((await renderStreetImage(seed, 'roadwork', 0)).scene.cues.length, `seed ${seed}`).toBeGreaterThan(0);
      expect((await renderStreetImage(seed, 'none', 0)).scene.cues, `seed ${seed}`).toEqual([]);
    }
  });

  it('follows the level asked for: level 0 is a plain centre crop, level 3 distorts', async () => {
    const plain = await renderStreetImage(42, 'none', 0);
    expect(plain.distortions).toMatchObject({ level: 0, rotation: null, saturation: null });
    const hard = await Promise.all([1, 2, 3, 4, 5, 6].map((seed) => renderStreetImage(seed, 'none', 3)));
    expect(hard.every((image) => image.distortions.rotation !== null)).toBe(true);
    expect(
      hard.some((image) => image.distortions.noiseVariance !== null || image.distortions.blurKernel !== null),
    ).toBe(true);
  });

  it('refuses to write over an existing dataset', async () => {
    const out = await tempDir();
    await writeDataset({ out, count: 2, seed: 1 });
    await expect(writeDataset({ out, count: 2, seed: 2 })).rejects.toBeInstanceOf(DatasetExistsError);
  });

  it('the command line says what is wrong with its arguments', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'cli.ts'), '--out', '/tmp/x', '--count', 'many'],
      {
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--count must be a whole number/);
  });
});
