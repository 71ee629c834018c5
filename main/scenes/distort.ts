/**
 * The validators' augmentation levels (natix image_transforms.py), re-implemented. Each level is
 * drawn with 25 %. Level 0 centre-crops the largest square and resizes it to 224 (PIL bilinear).
 * Levels 1–3 rotate by U(−20°, 20°) with nearest-neighbour sampling (black corners), take a
 * square random resized crop of 20–100 % of the area (torchvision's get_params; no point is kept
 * in view, as the validators pass none), and resize to 224; level 2 then turns on each of
 * saturation, darkening and down-up resizing with 50 %; level 3 each of those plus noise and blur
 * off / strength 1 / strength 2 with 1/3 each. Nothing is ever flipped: the validators' flip
 * transforms never fire. Every uint8 step truncates as theirs does. Output: 224×224 JPEG at PIL's
 * defaults (quality 75, 4:2:0), as validators send it.
 */
import sharp from 'sharp';
import { colourSaturation, darken, downAndUp, gaussianBlur, gaussianNoise } from './degradations.js';
import {
  cropSquare,
  decodePixels,
  resizeAntialiased,
  rotateNearest,
  roundHalfEven,
  truncate,
  type Pixels,
} from './pixels.js';
import type { Rng } from './rng.js';

export const OUTPUT_SIZE = 224;
const JPEG_QUALITY = 75;

export type AugmentationLevel = 0 | 1 | 2 | 3;

export interface Distortions {
  level: AugmentationLevel;
  /** Degrees, counter-clockwise (torchvision's sense). */
  rotation: number | null;
  crop: { x: number; y: number; size: number };
  /** Chroma kept (1 = unchanged). */
  saturation: number | null;
  /** Every channel multiplied by this (the validators' "colour contrast"). */
  darkening: number | null;
  /** Downsampled by this factor and back, as the validators' "JPEG" distortion does. */
  downsample: number | null;
  noiseVariance: number | null;
  blurKernel: number | null;
}

// The validators' parameter tables for their distortion strengths 1 and 2.
const SATURATION = [0.4, 0.3];
const DARKENING = [0.85, 0.725];
const DOWNSAMPLE = [2, 3];
const NOISE_VARIANCE = [0.001, 0.002];
const BLUR_KERNEL = [7, 9];

/**
 * `source`: a scene's SVG, an encoded photo, or either already decoded (a pooled render). The
 * same source distorted twice with different draws gives two different images.
 */
export async function distort(
  source: string | Buffer | Pixels,
  rng: Rng,
  forcedLevel?: AugmentationLevel,
): Promise<{ jpeg: Buffer; distortions: Distortions }> {
  const level = forcedLevel ?? (rng.int(0, 3) as AugmentationLevel);
  let image = typeof source === 'string' || Buffer.isBuffer(source) ? await decodePixels(source) : source;
  const distortions: Distortions = {
    level,
    rotation: null,
    crop: { x: 0, y: 0, size: 0 },
    saturation: null,
    darkening: null,
    downsample: null,
    noiseVariance: null,
    blurKernel: null,
  };

  if (level === 0) {
    // CenterCrop then Resize on the PIL image: 8-bit throughout, so rounded at each step.
    const size = Math.min(image.width, image.height);
    distortions.crop = {
      x: roundHalfEven((image.width - size) / 2),
      y: roundHalfEven((image.height - size) / 2),
      size,
    };
    image = resizeAntialiased(
      cropSquare(image, distortions.crop.x, distortions.crop.y, size),
      OUTPUT_SIZE,
      OUTPUT_SIZE,
      true,
    );
  } else {
    // The rotation keeps the size, so the crop (drawn second, as theirs) depends on the size only.
    distortions.rotation = rng.range(-20, 20);
    distortions.crop = randomSquareCrop(image.width, image.height, rng);
    image = resizeAntialiased(rotateNearest(image, distortions.rotation, distortions.crop), OUTPUT_SIZE, OUTPUT_SIZE);
  }

  if (level >= 2) {
    // Drawn in the validators' order (CS, CC, JPEG, then GNC, GB at level 3), each independently.
    const maxStrength = level === 2 ? 1 : 2;
    const strength = (): number => rng.int(0, maxStrength);
    const pick = (table: number[]): number | null => {
      const s = strength();
      return s > 0 ? table[s - 1]! : null;
    };
    distortions.saturation = pick(SATURATION);
    distortions.darkening = pick(DARKENING);
    distortions.downsample = pick(DOWNSAMPLE);
    if (level === 3) {
      distortions.noiseVariance = pick(NOISE_VARIANCE);
      distortions.blurKernel = pick(BLUR_KERNEL);
    }
    // Each distortion that is on truncates the float image to uint8 first, as theirs does.
    if (distortions.saturation !== null) image = colourSaturation(truncate(image), distortions.saturation);
    if (distortions.darkening !== null) image = darken(truncate(image), distortions.darkening);
    if (distortions.downsample !== null) image = downAndUp(truncate(image), distortions.downsample);
    if (distortions.noiseVariance !== null) image = gaussianNoise(truncate(image), distortions.noiseVariance, rng);
    if (distortions.blurKernel !== null) image = gaussianBlur(truncate(image), distortions.blurKernel);
  }

  return { jpeg: await encodeJpeg(truncate(image)), distortions };
}

/** PIL's `save(format="JPEG")` defaults. */
function encodeJpeg(image: Pixels): Promise<Buffer> {
  return sharp(Buffer.from(new Uint8Array(image.data).buffer), {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .jpeg({ quality: JPEG_QUALITY, chromaSubsampling: '4:2:0' })
    .toBuffer();
}

/**
 * torchvision's `RandomResizedCrop.get_params` with scale 0.2–1 and ratio 1: up to ten squares of
 * side round(√(s·W·H)), the first that fits is placed uniformly; else the centred short-side square.
 */
export function randomSquareCrop(width: number, height: number, rng: Rng): Distortions['crop'] {
  for (let attempt = 0; attempt < 10; attempt++) {
    const size = roundHalfEven(Math.sqrt(rng.range(0.2, 1) * width * height));
    if (size > 0 && size <= width && size <= height) {
      const y = rng.int(0, height - size);
      const x = rng.int(0, width - size);
      return { x, y, size };
    }
  }
  const size = Math.min(width, height);
  return { x: Math.floor((width - size) / 2), y: Math.floor((height - size) / 2), size };
}
