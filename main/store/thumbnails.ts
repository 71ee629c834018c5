/**
 * Smaller copies of stored images. Thumbnails: the small squares every image gets, stored once
 * by content hash beside the images (the challenge log and the hard-case store make them here,
 * the same way). Previews: an image scaled to fit a screen, made when asked for.
 */
import { access } from 'node:fs/promises';
import sharp from 'sharp';
import { contentPath, writeOnce } from './content-files.js';

export const THUMBNAIL_SIZE = 96;
/** Larger images are refused before they are decoded (a decompression bomb). */
export const MAX_INPUT_PIXELS = 40_000_000;

/** A 96 px square JPEG of the image, cropped to fill. Throws when the image cannot be decoded. */
export function makeThumbnail(image: Buffer): Promise<Buffer> {
  return sharp(image, { limitInputPixels: MAX_INPUT_PIXELS })
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'cover' })
    .jpeg({ quality: 70 })
    .toBuffer();
}

/** Where the thumbnail of the image with this sha256 lives under `root`. */
export function thumbnailPath(root: string, hash: string): string {
  return contentPath(root, hash);
}

/** Makes and stores the image's thumbnail unless it is there already. Throws when the image cannot be decoded. */
export async function storeThumbnail(root: string, hash: string, image: Buffer): Promise<void> {
  const path = thumbnailPath(root, hash);
  if (await exists(path)) return;
  await writeOnce(path, await makeThumbnail(image));
}

/**
 * The image as a JPEG at most `maxSide` px on its longer side, upright. A JPEG that already fits
 * and needs no turning is returned as it is. Throws when the image cannot be decoded.
 */
export async function makePreview(
  image: Buffer,
  maxSide: number,
): Promise<{ jpeg: Buffer; width: number; height: number }> {
  const decoder = sharp(image, { limitInputPixels: MAX_INPUT_PIXELS });
  const { format, width, height, orientation } = await decoder.metadata();
  if (format === 'jpeg' && width && height && Math.max(width, height) <= maxSide && (orientation ?? 1) === 1)
    return { jpeg: image, width, height };
  const { data, info } = await decoder
    .rotate()
    .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 90 })
    .toBuffer({ resolveWithObject: true });
  return { jpeg: data, width: info.width, height: info.height };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
