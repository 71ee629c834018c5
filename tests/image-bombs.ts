import sharp from 'sharp';

/**
 * A decompression bomb as an attacker makes one: a real, small 224×224 JPEG whose frame header
 * (SOF) is patched to claim `width`×`height`. About 4 kB on the wire; a decoder that trusts the
 * header allocates for the claim before it finds the data missing.
 */
export async function jpegClaiming(width: number, height: number): Promise<Buffer> {
  const jpeg = await sharp({
    create: {
      width: 224,
      height: 224,
      channels: 3,
      background: '#000',
      noise: { type: 'gaussian', mean: 128, sigma: 20 },
    },
  })
    .jpeg({ quality: 40 })
    .toBuffer();
  for (let at = 2; at + 9 < jpeg.length;) {
    const marker = jpeg[at + 1]!;
    if (marker >= 0xc0 && marker <= 0xc2) {
      jpeg.writeUInt16BE(height, at + 5);
      jpeg.writeUInt16BE(width, at + 7);
      return jpeg;
    }
    at += 2 + jpeg.readUInt16BE(at + 2);
  }
  throw new Error('sharp wrote a JPEG without a frame header');
}
