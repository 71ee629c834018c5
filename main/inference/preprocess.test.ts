import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelManifest } from '../../shared/domain/model-manifest.js';
import { renderStreetImage } from '../scenes/generate.js';
import { decodeCleanJpeg } from './jpeg-fast-path.js';
import { ImageDecodeError, imageToTensor } from './preprocess.js';

const input: ModelManifest['input'] = {
  name: 'pixel_values',
  width: 224,
  height: 224,
  mean: [0.5, 0.5, 0.5],
  std: [0.5, 0.5, 0.5],
};

let jpeg: Buffer;
beforeAll(async () => {
  jpeg = (await renderStreetImage(11, 'roadwork', 0)).jpeg;
});

/** The tensor as sharp alone would make it: the reference the fast path must match. */
async function viaSharp(image: Buffer): Promise<Float32Array> {
  const rgb = await sharp(image, { failOn: 'error' })
    .rotate()
    .removeAlpha()
    .resize(224, 224, { fit: 'fill' })
    .raw()
    .toBuffer();
  const plane = 224 * 224;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) out[c * plane + i] = rgb[i * 3 + c]! / 127.5 - 1;
  return out;
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('preprocessing a validator image', () => {
  it('decodes a clean 224×224 JPEG on the fast path, to the tensor sharp would give within a few grey levels', async () => {
    expect(await decodeCleanJpeg(jpeg, 224, 224)).not.toBeNull();
    const tensor = await imageToTensor(jpeg, input);
    // Two JPEG decoders may round the inverse DCT differently: 4 levels of 255 at most.
    expect(maxDifference(tensor, await viaSharp(jpeg))).toBeLessThanOrEqual(4 / 127.5);
  });

  it('leaves other sizes, other formats and EXIF-rotated JPEGs to sharp, which handles them', async () => {
    const larger = await sharp(jpeg).resize(320, 240).jpeg().toBuffer();
    const png = await sharp(jpeg).png().toBuffer();
    const rotated = await sharp(jpeg).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    for (const image of [larger, png, rotated]) {
      expect(await decodeCleanJpeg(image, 224, 224)).toBeNull();
      expect(maxDifference(await imageToTensor(image, input), await viaSharp(image))).toBe(0);
    }
  });

  it('leaves a damaged JPEG to sharp, so it gets the same verdict either way', async () => {
    const truncated = jpeg.subarray(0, jpeg.length >> 1);
    const scrambled = Buffer.from(jpeg);
    scrambled.fill(0x55, 700, 2500);
    for (const damaged of [truncated, scrambled]) {
      expect(await decodeCleanJpeg(damaged, 224, 224)).toBeNull();
      const bySharp = await viaSharp(damaged).then(
        (tensor) => ({ ok: true as const, tensor }),
        () => ({ ok: false as const }),
      );
      const ours = imageToTensor(damaged, input);
      if (bySharp.ok) expect(maxDifference(await ours, bySharp.tensor)).toBe(0);
      else await expect(ours).rejects.toBeInstanceOf(ImageDecodeError);
    }
    await expect(imageToTensor(Buffer.from([0xff, 0xd8, 0xff, 0, 1, 2, 0xff, 0xd9]), input)).rejects.toBeInstanceOf(
      ImageDecodeError,
    );
    // The decoder is still sound after the damage.
    expect(await decodeCleanJpeg(jpeg, 224, 224)).not.toBeNull();
  });
});
