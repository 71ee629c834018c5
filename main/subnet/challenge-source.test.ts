import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/temp-dir.js';
import { renderStreetImage } from '../scenes/generate.js';
import { Rng } from '../scenes/rng.js';
import { folderChallenges } from './challenge-source.js';

const tempDir = useTempDirs();

describe("the local validators' images from a folder of photos", () => {
  it('sends each photo at 224×224 with its label, distorted afresh each time', async () => {
    const dir = await tempDir();
    for (const label of ['roadwork', 'none'] as const) {
      await mkdir(join(dir, label));
      // A "photo" larger than the model's input, as a dashcam frame is.
      const scene = (await renderStreetImage(label === 'roadwork' ? 1 : 2, label, 0)).jpeg;
      await writeFile(join(dir, label, 'frame.jpg'), await sharp(scene).resize(640, 480).jpeg().toBuffer());
    }
    const source = await folderChallenges(dir, 1);
    const rng = new Rng(4);
    const seen = new Map<number, Buffer[]>();
    for (let i = 0; i < 12; i++) {
      const challenge = await source.next(rng);
      const meta = await sharp(challenge.jpeg).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 224, 224]);
      seen.set(challenge.label, [...(seen.get(challenge.label) ?? []), challenge.jpeg]);
    }
    expect([...seen.keys()].sort()).toEqual([0, 1]);
    const roadwork = seen.get(1)!;
    expect(new Set(roadwork.map((jpeg) => jpeg.toString('base64'))).size).toBeGreaterThan(1);
  });

  it('refuses a folder with no labelled images, saying so', async () => {
    await expect(folderChallenges(await tempDir(), 1)).rejects.toThrow(/holds no label/);
  });
});
