/**
 * Where the local validators' labelled images come from: the scene generator (with the
 * validators' distortion levels 0–3), or a labelled folder the operator points to (real photos,
 * centre-cropped to 224 px as level 0 does). Images are kept once made, as a validator's cache
 * is: after `poolSize` distinct images they repeat.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { listLabelledImages, type LabelledImage } from '../models/labelled-folder.js';
import type { AugmentationLevel } from '../scenes/distort.js';
import { renderStreetImage } from '../scenes/generate.js';
import { deriveSeed, type Rng } from '../scenes/rng.js';

export interface Challenge {
  jpeg: Buffer;
  label: 0 | 1;
}

export interface ChallengeSource {
  next(rng: Rng): Promise<Challenge>;
}

export function sceneChallenges(seed: number, poolSize = 200): ChallengeSource {
  const pool = new Map<number, Promise<Challenge>>();
  return {
    next(rng) {
      const index = rng.int(0, poolSize - 1);
      let challenge = pool.get(index);
      if (!challenge) {
        const label = index % 2 === 0 ? 'roadwork' : 'none';
        challenge = renderStreetImage(deriveSeed(seed, index), label, (index % 4) as AugmentationLevel).then(
          (image) => ({ jpeg: image.jpeg, label: image.label === 'roadwork' ? 1 : 0 }),
        );
        pool.set(index, challenge);
      }
      return challenge;
    },
  };
}

export class EmptyFolderError extends Error {}

export async function folderChallenges(dir: string): Promise<ChallengeSource> {
  const images: LabelledImage[] = await listLabelledImages(dir);
  if (images.length === 0) throw new EmptyFolderError(`${dir} holds no labelled images (roadwork/ and none/)`);
  const cache = new Map<string, Promise<Challenge>>();
  return {
    next(rng) {
      const image = rng.pick(images);
      let challenge = cache.get(image.file);
      if (!challenge) {
        challenge = readFile(join(dir, image.file)).then(async (bytes) => ({
          jpeg: await sharp(bytes).rotate().resize(224, 224, { fit: 'cover' }).jpeg({ quality: 75 }).toBuffer(),
          label: image.label === 'roadwork' ? 1 : 0,
        }));
        cache.set(image.file, challenge);
      }
      return challenge;
    },
  };
}
