/**
 * Where the local validators' labelled images come from: the scene generator, or a labelled
 * folder the operator points to (real photos). Either way each challenge carries one of the
 * validators' distortion levels 0–3 (crop, rotation, flips, colour, JPEG, noise, blur). Generated
 * scenes are kept once made, as a validator's cache is: after `poolSize` distinct ones they
 * repeat; a photo is distorted afresh each time it is sent.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { listLabelledImages, type LabelledImage } from '../scoring/labelled-folder.js';
import { distort, type AugmentationLevel } from '../scenes/distort.js';
import { renderStreetImage } from '../scenes/generate.js';
import { deriveSeed, Rng } from '../scenes/rng.js';

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

export async function folderChallenges(dir: string): Promise<ChallengeSource> {
  // Says which folder holds no labelled images, or which manifest line is wrong.
  const images: LabelledImage[] = await listLabelledImages(dir);
  // Photos are kept at most 512 px on a side: distortions crop to 224 anyway.
  const photos = new Map<string, Promise<Buffer>>();
  return {
    async next(rng) {
      const image = rng.pick(images);
      let photo = photos.get(image.file);
      if (!photo) {
        photo = readFile(join(dir, image.file)).then((bytes) =>
          sharp(bytes).rotate().resize(512, 512, { fit: 'inside', withoutEnlargement: true }).png().toBuffer(),
        );
        photos.set(image.file, photo);
      }
      const { jpeg } = await distort(await photo, null, new Rng(rng.uint32()));
      return { jpeg, label: image.label === 'roadwork' ? 1 : 0 };
    },
  };
}
