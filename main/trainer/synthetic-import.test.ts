import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/temp-dir.js';
import { HardCaseStore } from '../hardcases/hard-case-store.js';
import { importImages } from '../hardcases/import-images.js';
import { openDatabase } from '../store/database.js';
import { MIGRATIONS } from '../store/migrations.js';
import { importGenerated } from './synthetic-import.js';

const tempDir = useTempDirs();

async function openStore(): Promise<HardCaseStore> {
  const dir = await tempDir();
  return new HardCaseStore(openDatabase(join(dir, 'console.db'), MIGRATIONS), join(dir, 'images'));
}

/** A small real JPEG of one colour: distinct colours, distinct bytes. */
const jpeg = (red: number): Promise<Buffer> =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: { r: red, g: 90, b: 40 } } })
    .jpeg()
    .toBuffer();

/** A pulled generation folder: `files` by path, and the manifest lines, if any. */
async function generatedFolder(files: Record<string, Buffer>, manifest?: string[]): Promise<string> {
  const folder = await tempDir();
  await mkdir(join(folder, 'roadwork'));
  await mkdir(join(folder, 'none'));
  for (const [file, bytes] of Object.entries(files)) await writeFile(join(folder, file), bytes);
  if (manifest) await writeFile(join(folder, 'manifest.jsonl'), manifest.join('\n') + '\n');
  return folder;
}

const entry = (file: string, label: string) => JSON.stringify({ file, label, source: 'generated', seed: 1 });

describe('importGenerated', () => {
  it('adds the listed images as generated cases with their folder label; refuses bad files and lines by name; repeats collapse', async () => {
    const store = await openStore();
    const [a, b, c] = [await jpeg(10), await jpeg(120), await jpeg(240)];
    // The operator imported c by hand earlier: the generated copy is the same case seen again.
    const earlier = await generatedFolder({ 'none/c.jpg': c });
    await importImages(store, [join(earlier, 'none', 'c.jpg')]);

    const folder = await generatedFolder(
      { 'roadwork/a.jpg': a, 'roadwork/b.jpg': b, 'none/c.jpg': c, 'none/broken.jpg': a.subarray(0, a.length >> 1) },
      [
        entry('roadwork/a.jpg', 'roadwork'),
        entry('roadwork/b.jpg', 'roadwork'),
        entry('none/c.jpg', 'none'),
        entry('none/broken.jpg', 'none'),
        entry('none/missing.jpg', 'none'),
        '{"file": "roadwork/d.jpg", "lab',
        entry('none/e.jpg', 'roadwork'),
      ],
    );
    const result = await importGenerated(folder, store);
    expect(result).toMatchObject({ added: 2, duplicates: 1, labelled: { roadwork: 2, none: 1 } });
    expect(result.refused.sort((x, y) => x.file.localeCompare(y.file))).toEqual([
      { file: 'manifest.jsonl line 6', reason: 'is not JSON' },
      { file: 'none/broken.jpg', reason: expect.stringMatching(/^is not an image that can be decoded/) as string },
      { file: 'none/e.jpg', reason: 'is labelled roadwork but lies outside roadwork/' },
      { file: 'none/missing.jpg', reason: 'cannot be read (ENOENT)' },
    ]);
    expect(store.get(HardCaseStore.hashOf(a))).toMatchObject({ source: 'generated', label: 'roadwork' });
    expect(store.get(HardCaseStore.hashOf(c))).toMatchObject({ source: 'imported', label: 'none', timesSeen: 2 });
    expect(store.counts()).toMatchObject({ total: 3, roadwork: 2, none: 1, unlabelled: 0 });

    // The same folder pulled in twice adds nothing.
    const again = await importGenerated(folder, store);
    expect(again).toMatchObject({ added: 0, duplicates: 3 });
    expect(store.counts().total).toBe(3);
  });

  it('a stopped job without a manifest brings the images it finished, and leaves a half-written file aside', async () => {
    const store = await openStore();
    const folder = await generatedFolder({
      'roadwork/gen-1-000000.jpg': await jpeg(30),
      'none/gen-1-000001.jpg': await jpeg(60),
      'roadwork/gen-1-000002.jpg.4242.tmp': Buffer.from('half'),
    });
    const result = await importGenerated(folder, store);
    expect(result).toEqual({ added: 2, duplicates: 0, labelled: { roadwork: 1, none: 1 }, refused: [] });
    expect(store.list(10).map((hardCase) => hardCase.source)).toEqual(['generated', 'generated']);
  });

  it('a folder with no generated set is an error that says so', async () => {
    const store = await openStore();
    const folder = await generatedFolder({});
    await expect(importGenerated(folder, store)).rejects.toThrow(/holds no generated images/);
    expect(store.counts().total).toBe(0);
  });
});
