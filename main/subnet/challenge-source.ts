/**
 * Where the local validators' labelled images come from, drawn as natix's forward.py draws them:
 * the label first (50/50), then the source, then an image of that label, then a fresh
 * augmentation level and distortion (scenes/distort.ts) every time an image is sent. The
 * validators send 50 % real photos and 50 % SDXL images; here a labelled folder the operator
 * points to stands in for the real half and generated street scenes for the SDXL half. Without a
 * folder every image is a generated scene (`hasPhotos` false: not comparable with mainnet).
 * Scenes are kept once rendered, undistorted, as a validator's cache keeps its files: after
 * `poolSize` distinct ones they repeat, each time with a new distortion.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { DatasetLabel } from '../../shared/domain/dataset.js';
import { listLabelledImages, type LabelledImage } from '../scoring/labelled-folder.js';
import { distort, type AugmentationLevel } from '../scenes/distort.js';
import { streetScene } from '../scenes/generate.js';
import { deriveSeed, Rng } from '../scenes/rng.js';

export interface Challenge {
  jpeg: Buffer;
  label: 0 | 1;
  /** A real photo from the labelled folder, or a generated scene (the validators' SDXL share). */
  origin: 'photo' | 'generated';
}

export interface ChallengeSource {
  next(rng: Rng): Promise<Challenge>;
  /** Whether half the challenges are real photos, as on mainnet. */
  readonly hasPhotos: boolean;
}

/** Undistorted images kept encoded (PNG): a few tens of kB each, decoded in a few ms. */
type Pool = Map<string, Promise<Buffer>>;

function pooled(pool: Pool, key: string, make: () => Promise<Buffer>): Promise<Buffer> {
  let image = pool.get(key);
  if (!image) {
    image = make();
    pool.set(key, image);
  }
  return image;
}

const labelName = (label: 0 | 1): DatasetLabel => (label === 1 ? 'roadwork' : 'none');

/** `poolSize` scenes, half of each label; scene `index` is roadwork when `index` is even. */
function generatedScenes(seed: number, poolSize: number): (label: 0 | 1, rng: Rng) => Promise<Buffer> {
  const pool: Pool = new Map();
  const perLabel = Math.max(1, Math.floor(poolSize / 2));
  return (label, rng) => {
    const index = 2 * rng.int(0, perLabel - 1) + (label === 1 ? 0 : 1);
    return pooled(pool, String(index), () =>
      sharp(Buffer.from(streetScene(deriveSeed(seed, index), labelName(label)).svg))
        .png()
        .toBuffer(),
    );
  };
}

/** What forward.py draws for one challenge, before it picks the image. */
export interface ChallengeDraw {
  label: 0 | 1;
  origin: Challenge['origin'];
  level: AugmentationLevel;
  /** Seeds the distortion's own draws (rotation, crop, strengths, noise). */
  distortionSeed: number;
}

/**
 * The label (50/50) first, then real or synthetic (50/50; always synthetic without photos),
 * then the augmentation level (25 % each): all independent.
 */
export function drawChallenge(rng: Rng, hasPhotos: boolean): ChallengeDraw {
  const label = rng.chance(0.5) ? 1 : 0;
  const origin = hasPhotos && !rng.chance(0.5) ? 'photo' : 'generated';
  const level = rng.int(0, 3) as AugmentationLevel;
  return { label, origin, level, distortionSeed: rng.uint32() };
}

/** Distorted afresh each time: the pooled image itself is never changed. */
async function send(image: Buffer, draw: ChallengeDraw, origin: Challenge['origin']): Promise<Challenge> {
  const { jpeg } = await distort(image, new Rng(draw.distortionSeed), draw.level);
  return { jpeg, label: draw.label, origin };
}

/** Every challenge a generated scene. */
export function sceneChallenges(seed: number, poolSize = 200): ChallengeSource {
  const scene = generatedScenes(seed, poolSize);
  return {
    hasPhotos: false,
    async next(rng) {
      const draw = drawChallenge(rng, false);
      return send(await scene(draw.label, rng), draw, 'generated');
    },
  };
}

/**
 * Half the challenges a photo from the labelled folder `dir`, half a generated scene. A folder
 * with photos of only one label gives a generated scene whenever the other label is drawn (the
 * validators would skip that round instead).
 */
export async function folderChallenges(dir: string, seed: number, poolSize = 200): Promise<ChallengeSource> {
  // Says which folder holds no labelled images, or which manifest line is wrong.
  const images: LabelledImage[] = await listLabelledImages(dir);
  const byLabel = [
    images.filter((image) => image.label === 'none'),
    images.filter((image) => image.label === 'roadwork'),
  ];
  const scene = generatedScenes(seed, poolSize);
  // Photos are kept at most 512 px on a side: the distortions crop to 224 anyway.
  const photos: Pool = new Map();
  return {
    hasPhotos: true,
    async next(rng) {
      const draw = drawChallenge(rng, true);
      const candidates = byLabel[draw.label]!;
      if (draw.origin === 'generated' || candidates.length === 0)
        return send(await scene(draw.label, rng), draw, 'generated');
      const file = rng.pick(candidates).file;
      const photo = await pooled(photos, file, async () =>
        sharp(await readFile(join(dir, file)))
          .rotate()
          .resize(512, 512, { fit: 'inside', withoutEnlargement: true })
          .png()
          .toBuffer(),
      );
      return send(photo, draw, 'photo');
    },
  };
}
