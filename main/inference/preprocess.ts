import sharp from 'sharp';
import type { ModelManifest } from '../../shared/domain/model-manifest.js';
import { readImageHeader } from './image-header.js';
import { decodeCleanJpeg } from './jpeg-fast-path.js';
import { errorMessage } from '../../shared/errors.js';

export class ImageDecodeError extends Error {}

/**
 * The largest image decoded at all: a 24-megapixel photo (6000×4000) passes, a decompression bomb
 * (a few kB claiming 20000×20000) does not. Validators send 224×224.
 */
export const MAX_INPUT_PIXELS = 25_000_000;

/**
 * An encoded image (JPEG, PNG, WebP) → the model's input: RGB resized to the manifest's size,
 * `(value / 255 − mean) / std`, planar (CHW) float32, written into `out` at `offset`.
 *
 * The header is read first and an image too large is refused before any decoder sees it: the
 * WebAssembly decoder allocates what the header claims, and WebAssembly memory never shrinks.
 */
export async function imageToTensor(
  encoded: Buffer,
  input: ModelManifest['input'],
  out: Float32Array = new Float32Array(3 * input.width * input.height),
  offset = 0,
): Promise<Float32Array> {
  const header = readImageHeader(encoded);
  if (!header)
    throw new ImageDecodeError('the image cannot be decoded (not a JPEG, PNG or WebP with a readable header)');
  if (header.width * header.height > MAX_INPUT_PIXELS)
    throw new ImageDecodeError(
      `the image is too large to decode (${header.width}×${header.height} pixels claimed; at most ${MAX_INPUT_PIXELS} accepted)`,
    );
  // Only an image already the model's size takes the WebAssembly path.
  if (header.format === 'jpeg' && header.width === input.width && header.height === input.height) {
    const rgba = await decodeCleanJpeg(encoded, input.width, input.height);
    if (rgba) return normalise(rgba, 4, input, out, offset);
  }
  return normalise(await decodeWithSharp(encoded, input), 3, input, out, offset);
}

async function decodeWithSharp(encoded: Buffer, input: ModelManifest['input']): Promise<Buffer> {
  let pixels: Buffer;
  try {
    pixels = await sharp(encoded, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .removeAlpha()
      .toColourspace('srgb')
      .resize(input.width, input.height, { fit: 'fill' })
      .raw()
      .toBuffer();
  } catch (error) {
    throw new ImageDecodeError(`the image cannot be decoded (${errorMessage(error)})`);
  }
  const expected = input.width * input.height * 3;
  if (pixels.length !== expected)
    throw new ImageDecodeError(`the image decoded to ${pixels.length} bytes, not ${expected}`);
  return pixels;
}

/** Interleaved pixels (`stride` bytes each, RGB first) → planar, normalised float32. */
function normalise(
  pixels: Uint8Array | Uint8ClampedArray,
  stride: number,
  input: ModelManifest['input'],
  out: Float32Array,
  offset: number,
): Float32Array {
  const plane = input.width * input.height;
  // One pass per channel with its constants in locals: the interleaved form is several times slower.
  for (let c = 0; c < 3; c++) {
    const scale = 1 / (255 * input.std[c]!);
    const shift = input.mean[c]! / input.std[c]!;
    const base = offset + c * plane;
    for (let i = 0, j = c; i < plane; i++, j += stride) out[base + i] = pixels[j]! * scale - shift;
  }
  return out;
}
