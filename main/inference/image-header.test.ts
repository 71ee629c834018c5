import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readImageHeader } from './image-header.js';
import { jpegClaiming } from '../../tests/image-bombs.js';

const solid = (width: number, height: number, channels: 3 | 4 = 3) =>
  sharp({ create: { width, height, channels, background: { r: 40, g: 90, b: 160, alpha: 1 } } });

describe("an image's size read from its header", () => {
  it('reads JPEG (baseline and progressive), PNG and WebP (lossy, lossless, extended) as sharp does', async () => {
    const cases: [Buffer, string][] = [
      [await solid(224, 224).jpeg().toBuffer(), 'jpeg'],
      [await solid(640, 480).jpeg({ progressive: true }).toBuffer(), 'jpeg'],
      [await solid(301, 203).png().toBuffer(), 'png'],
      [await solid(301, 203).webp().toBuffer(), 'webp'],
      [await solid(301, 203, 4).webp({ lossless: true }).toBuffer(), 'webp'],
      // EXIF makes an extended (VP8X) WebP.
      [await solid(333, 111).withMetadata({ orientation: 6 }).webp().toBuffer(), 'webp'],
    ];
    for (const [bytes, format] of cases) {
      const { width, height } = await sharp(bytes).metadata();
      expect(readImageHeader(bytes)).toEqual({ format, width, height });
    }
  });

  it("takes the image's frame, not the EXIF thumbnail's inside APP1", async () => {
    const thumbnail = await solid(32, 24).jpeg().toBuffer();
    const image = await solid(224, 224).jpeg().toBuffer();
    // An APP1 segment holding a whole JPEG, SOF and all, ahead of the image's own frame.
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0, 0]), Buffer.from('Exif\0\0'), thumbnail]);
    app1.writeUInt16BE(app1.length - 2, 2);
    const withThumbnail = Buffer.concat([image.subarray(0, 2), app1, image.subarray(2)]);
    expect(readImageHeader(withThumbnail)).toEqual({ format: 'jpeg', width: 224, height: 224 });
  });

  it('reads the size a decompression bomb claims, and nothing from a header cut short or another format', async () => {
    const bomb = await jpegClaiming(20_000, 20_000);
    expect(bomb.length).toBeLessThan(8 * 1024);
    expect(readImageHeader(bomb)).toEqual({ format: 'jpeg', width: 20_000, height: 20_000 });
    const png = await solid(10, 10).png().toBuffer();
    expect(readImageHeader(png.subarray(0, 20))).toBeNull();
    expect(readImageHeader(bomb.subarray(0, 30))).toBeNull();
    expect(readImageHeader(await solid(10, 10).gif().toBuffer())).toBeNull();
    expect(readImageHeader(Buffer.from('definitely not a jpeg'))).toBeNull();
    expect(readImageHeader(new Uint8Array(0))).toBeNull();
  });
});
