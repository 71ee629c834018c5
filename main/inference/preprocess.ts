import sharp from 'sharp';
import type { ModelManifest } from '../../shared/domain/model-manifest.js';

export class ImageDecodeError extends Error {}

/** Refuses decompression bombs before sharp allocates them. */
const MAX_INPUT_PIXELS = 40_000_000;

/**
 * An encoded image (JPEG, PNG, WebP) → the model's input: RGB resized to the manifest's size,
 * `(value / 255 − mean) / std`, planar (CHW) float32, written into `out` at `offset`.
 */
export async function imageToTensor(
  encoded: Buffer,
  input: ModelManifest['input'],
  out: Float32Array = new Float32Array(3 * input.width * input.height),
  offset = 0,
): Promise<Float32Array> {
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
    throw new ImageDecodeError(
      `the image cannot be decoded (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const plane = input.width * input.height;
  if (pixels.length !== plane * 3)
    throw new ImageDecodeError(`the image decoded to ${pixels.length} bytes, not ${plane * 3}`);
  const scale = [0, 1, 2].map((c) => 1 / (255 * input.std[c]!));
  const shift = [0, 1, 2].map((c) => input.mean[c]! / input.std[c]!);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) out[offset + c * plane + i] = pixels[i * 3 + c]! * scale[c]! - shift[c]!;
  }
  return out;
}
