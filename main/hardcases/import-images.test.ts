import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/temp-dir.js';
import { renderStreetImage } from '../scenes/generate.js';
import { openDatabase } from '../store/database.js';
import { MIGRATIONS } from '../store/migrations.js';
import { HardCaseStore } from './hard-case-store.js';
import { importImages } from './import-images.js';

const tempDir = useTempDirs();

async function store(): Promise<HardCaseStore> {
  const dir = await tempDir();
  return new HardCaseStore(openDatabase(join(dir, 'console.db'), MIGRATIONS), join(dir, 'images'));
}

describe('importing images into the hard cases', () => {
  it('takes an ImageFolder with its labels, and refuses a corrupt file, a non-image and an oversize one, keeping the rest', async () => {
    const folder = await tempDir();
    await mkdir(join(folder, 'roadwork'));
    await mkdir(join(folder, 'none'));
    const jpeg = (await renderStreetImage(31, 'roadwork', 0)).jpeg;
    await writeFile(join(folder, 'roadwork', 'a.jpg'), jpeg);
    await writeFile(
      join(folder, 'roadwork', 'b.png'),
      await sharp((await renderStreetImage(32, 'roadwork', 0)).jpeg)
        .png()
        .toBuffer(),
    );
    await writeFile(join(folder, 'none', 'c.jpg'), (await renderStreetImage(33, 'none', 0)).jpeg);
    await writeFile(join(folder, 'none', 'broken.jpg'), jpeg.subarray(0, 40));
    await writeFile(join(folder, 'none', 'half.jpg'), jpeg.subarray(0, jpeg.length >> 1));
    await writeFile(join(folder, 'notes.txt'), 'not an image');
    await writeFile(join(folder, 'huge.jpg'), Buffer.alloc(2048, 1));
    const hardCases = await store();
    const verdicts = await importImages(hardCases, [folder], { maxBytes: 1024 * 1024 });
    const by = Object.fromEntries(verdicts.map((v) => [v.path.slice(folder.length + 1), v]));
    expect(by['roadwork/a.jpg']).toMatchObject({ status: 'added', label: 'roadwork' });
    expect(by['roadwork/b.png']).toMatchObject({ status: 'added', label: 'roadwork' });
    expect(by['none/c.jpg']).toMatchObject({ status: 'added', label: 'none' });
    expect(by['none/broken.jpg']).toMatchObject({
      status: 'refused',
      reason: expect.stringMatching(/not an image that can be decoded/) as unknown,
    });
    expect(by['none/half.jpg']).toMatchObject({ status: 'refused' });
    expect(by['notes.txt']).toMatchObject({ status: 'refused' });
    expect(by['huge.jpg']?.status).toBe('refused');
    expect(hardCases.counts()).toMatchObject({ total: 3, roadwork: 2, none: 1 });
    // The labels came as one step: one undo takes back the roadwork ones.
    hardCases.undo();
    expect(hardCases.counts()).toMatchObject({ roadwork: 0, none: 1, unlabelled: 2 });
  });

  it('counts an image imported twice once, and refuses an oversize file by its size', async () => {
    const hardCases = await store();
    const dir = await tempDir();
    const file = join(dir, 'frame.jpg');
    await writeFile(file, (await renderStreetImage(34, 'none', 0)).jpeg);
    expect((await importImages(hardCases, [file]))[0]!.status).toBe('added');
    expect((await importImages(hardCases, [file]))[0]!.status).toBe('duplicate');
    const [big] = await importImages(hardCases, [file], { maxBytes: 100 });
    expect(big).toMatchObject({ status: 'refused', reason: expect.stringContaining('over the') as unknown });
    const [missing] = await importImages(hardCases, [join(dir, 'gone.jpg')]);
    expect(missing).toMatchObject({ status: 'refused', reason: expect.stringContaining('ENOENT') as unknown });
  });
});
