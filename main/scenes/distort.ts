/**
 * The validators' augmentation levels, re-implemented: level 0 centre-crops and resizes; level 1
 * rotates (±20°), takes a square random resized crop (0.2–1 of the area) that keeps a marked
 * point, and flips either way; levels 2 and 3 add colour saturation, contrast and JPEG-style
 * downsampling, and level 3 noise and blur, each at a random strength. Output: 224×224 JPEG at
 * PIL's default quality, as validators send it.
 */
import sharp, { type Sharp } from 'sharp';
import type { Rng } from './rng.js';

export const OUTPUT_SIZE = 224;
const JPEG_QUALITY = 75;

export type AugmentationLevel = 0 | 1 | 2 | 3;

export interface Distortions {
  level: AugmentationLevel;
  /** Degrees, clockwise. */
  rotation: number | null;
  crop: { x: number; y: number; size: number };
  hflip: boolean;
  vflip: boolean;
  /** Chroma kept (1 = unchanged). */
  saturation: number | null;
  /** Every channel multiplied by this. */
  contrast: number | null;
  /** Downsampled by this factor and back, as the validators' "JPEG" distortion does. */
  downsample: number | null;
  noiseVariance: number | null;
  blurKernel: number | null;
}

// The validators' parameter tables for their distortion strengths 1 and 2.
const SATURATION = [0.4, 0.3];
const CONTRAST = [0.85, 0.725];
const DOWNSAMPLE = [2, 3];
const NOISE_VARIANCE = [0.001, 0.002];
const BLUR_KERNEL = [7, 9];

interface RawImage {
  data: Buffer;
  width: number;
  height: number;
}

/** `source`: a scene's SVG, or an encoded photo (the local validators distort real images too). */
export async function distort(
  source: string | Buffer,
  anchor: [number, number] | null,
  rng: Rng,
  forcedLevel?: AugmentationLevel,
): Promise<{ jpeg: Buffer; distortions: Distortions }> {
  const level = forcedLevel ?? (rng.int(0, 3) as AugmentationLevel);
  let image = await toRaw(typeof source === 'string' ? sharp(Buffer.from(source)) : sharp(source).rotate());
  const distortions: Distortions = {
    level,
    rotation: null,
    crop: { x: 0, y: 0, size: 0 },
    hflip: false,
    vflip: false,
    saturation: null,
    contrast: null,
    downsample: null,
    noiseVariance: null,
    blurKernel: null,
  };

  if (level === 0) {
    const size = Math.min(image.width, image.height);
    distortions.crop = { x: Math.floor((image.width - size) / 2), y: Math.floor((image.height - size) / 2), size };
  } else {
    const angle = Math.round(rng.range(-20, 20) * 10) / 10;
    distortions.rotation = angle;
    image = await rotateInPlace(image, angle);
    const point = anchor ? rotatePoint(anchor, angle, image.width, image.height) : null;
    distortions.crop = randomSquareCrop(image.width, image.height, rng, point);
    distortions.hflip = rng.chance(0.5);
    distortions.vflip = rng.chance(0.5);
  }
  const { x, y, size } = distortions.crop;
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .extract({ left: x, top: y, width: size, height: size })
    .resize(OUTPUT_SIZE, OUTPUT_SIZE, { kernel: 'linear' });
  if (distortions.hflip) pipeline = pipeline.flop();
  if (distortions.vflip) pipeline = pipeline.flip();
  image = await toRaw(pipeline);

  if (level >= 2) {
    const maxStrength = level === 2 ? 1 : 2;
    const strength = (): number => rng.int(0, maxStrength);
    const s = strength();
    const c = strength();
    const d = strength();
    const n = level === 3 ? strength() : 0;
    const b = level === 3 ? strength() : 0;
    if (s > 0) distortions.saturation = SATURATION[s - 1]!;
    if (c > 0) distortions.contrast = CONTRAST[c - 1]!;
    if (d > 0) distortions.downsample = DOWNSAMPLE[d - 1]!;
    if (n > 0) distortions.noiseVariance = NOISE_VARIANCE[n - 1]!;
    if (b > 0) distortions.blurKernel = BLUR_KERNEL[b - 1]!;
    if (distortions.saturation !== null) scaleChroma(image.data, distortions.saturation);
    if (distortions.contrast !== null) scaleAll(image.data, distortions.contrast);
    if (distortions.downsample !== null) image = await downsampleAndBack(image, distortions.downsample);
    if (distortions.noiseVariance !== null) addNoise(image.data, distortions.noiseVariance, rng);
    if (distortions.blurKernel !== null) image = await blur(image, distortions.blurKernel);
  }

  const jpeg = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .jpeg({ quality: JPEG_QUALITY, chromaSubsampling: '4:2:0' })
    .toBuffer();
  return { jpeg, distortions };
}

async function toRaw(pipeline: Sharp): Promise<RawImage> {
  const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Rotates about the centre keeping the size, corners filled black (torchvision's `rotate`). */
async function rotateInPlace(image: RawImage, angle: number): Promise<RawImage> {
  const rotated = await toRaw(
    sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).rotate(angle, {
      background: { r: 0, g: 0, b: 0 },
    }),
  );
  const left = Math.floor((rotated.width - image.width) / 2);
  const top = Math.floor((rotated.height - image.height) / 2);
  return toRaw(
    sharp(rotated.data, { raw: { width: rotated.width, height: rotated.height, channels: 3 } }).extract({
      left,
      top,
      width: image.width,
      height: image.height,
    }),
  );
}

function rotatePoint([px, py]: [number, number], angle: number, width: number, height: number): [number, number] {
  const a = (angle * Math.PI) / 180;
  const cx = width / 2;
  const cy = height / 2;
  const dx = px - cx;
  const dy = py - cy;
  return [cx + dx * Math.cos(a) - dy * Math.sin(a), cy + dx * Math.sin(a) + dy * Math.cos(a)];
}

/** torchvision's RandomResizedCrop(scale 0.2–1, ratio 1), moved to keep `point` inside as validators do. */
function randomSquareCrop(
  width: number,
  height: number,
  rng: Rng,
  point: [number, number] | null,
): Distortions['crop'] {
  const area = width * height;
  let size = Math.min(width, height);
  for (let attempt = 0; attempt < 10; attempt++) {
    const candidate = Math.round(Math.sqrt(rng.range(0.2, 1) * area));
    if (candidate > 0 && candidate <= Math.min(width, height)) {
      size = candidate;
      break;
    }
  }
  let x = rng.int(0, width - size);
  let y = rng.int(0, height - size);
  if (point) {
    const [px, py] = point.map(Math.round) as [number, number];
    if (px < x) x = Math.max(0, px - 10);
    else if (px > x + size) x = Math.min(width - size, px - size + 10);
    if (py < y) y = Math.max(0, py - 10);
    else if (py > y + size) y = Math.min(height - size, py - size + 10);
  }
  return { x, y, size };
}

function scaleChroma(data: Buffer, keep: number): void {
  for (let i = 0; i < data.length; i += 3) {
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    const luma = 0.299 * r + 0.587 * g + 0.114 * b;
    data[i] = clampByte(luma + (r - luma) * keep);
    data[i + 1] = clampByte(luma + (g - luma) * keep);
    data[i + 2] = clampByte(luma + (b - luma) * keep);
  }
}

function scaleAll(data: Buffer, factor: number): void {
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(data[i]! * factor);
}

function addNoise(data: Buffer, variance: number, rng: Rng): void {
  const sigma = Math.sqrt(variance) * 255;
  for (let i = 0; i < data.length; i++) data[i] = clampByte(data[i]! + rng.normal() * sigma);
}

async function downsampleAndBack(image: RawImage, factor: number): Promise<RawImage> {
  const small = await toRaw(
    sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).resize(
      Math.floor(image.width / factor),
      Math.floor(image.height / factor),
      { kernel: 'linear' },
    ),
  );
  return toRaw(
    sharp(small.data, { raw: { width: small.width, height: small.height, channels: 3 } }).resize(
      image.width,
      image.height,
      {
        kernel: 'linear',
      },
    ),
  );
}

function blur(image: RawImage, kernel: number): Promise<RawImage> {
  return toRaw(sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).blur(kernel / 6));
}

function clampByte(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : Math.round(value);
}
