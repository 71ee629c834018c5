/**
 * An image's format and size, read from its header alone: a few bytes looked at, nothing decoded.
 * The decoders allocate for the size the header claims before they find out the data is four
 * kilobytes long, so a claim is checked here first (see `preprocess.ts`). About a microsecond per
 * image, where sharp's `metadata()` costs a libvips pipeline (see the inference bench).
 */

export type ImageFormat = 'jpeg' | 'png' | 'webp';

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

/** The header of a JPEG, PNG or WebP; null for any other format or a header cut short. */
export function readImageHeader(bytes: Uint8Array): ImageHeader | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return readJpeg(bytes);
  if (startsWith(bytes, 0, PNG_SIGNATURE)) return readPng(bytes);
  if (startsWith(bytes, 0, ascii('RIFF')) && startsWith(bytes, 8, ascii('WEBP'))) return readWebp(bytes);
  return null;
}

/**
 * Walks the marker segments up to the frame header (SOF0–SOF15 but DHT, JPG and DAC). Segments
 * are skipped by their length, so an EXIF thumbnail's own SOF inside APP1 is never mistaken for
 * the image's. A scan before any frame header, or a height of 0 (left to a DNL marker, which the
 * decoders here do not support), reads as no header.
 */
function readJpeg(bytes: Uint8Array): ImageHeader | null {
  let at = 2;
  while (at + 1 < bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    at += 2;
    if (marker === 0xff) {
      at--; // fill byte: the marker follows
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no length
    if (marker === 0xd9 || marker === 0xda) return null; // end of image or a scan, and no frame yet
    if (at + 2 > bytes.length) return null;
    const length = u16be(bytes, at);
    if (length < 2) return null;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (length < 7 || at + 7 > bytes.length) return null;
      const height = u16be(bytes, at + 3);
      const width = u16be(bytes, at + 5);
      return width > 0 && height > 0 ? { format: 'jpeg', width, height } : null;
    }
    at += length;
  }
  return null;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The first chunk must be IHDR: width and height, 4 bytes each, big-endian. */
function readPng(bytes: Uint8Array): ImageHeader | null {
  if (bytes.length < 24 || !startsWith(bytes, 12, ascii('IHDR'))) return null;
  const width = u32be(bytes, 16);
  const height = u32be(bytes, 20);
  return width > 0 && height > 0 ? { format: 'png', width, height } : null;
}

/** The first chunk: lossy (VP8), lossless (VP8L) or extended (VP8X, which holds the canvas size). */
function readWebp(bytes: Uint8Array): ImageHeader | null {
  if (bytes.length < 30) return null;
  let width: number;
  let height: number;
  if (startsWith(bytes, 12, ascii('VP8 '))) {
    // A key frame's start code, then 14-bit width and height (the top two bits are scaling).
    if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) return null;
    width = u16le(bytes, 26) & 0x3fff;
    height = u16le(bytes, 28) & 0x3fff;
  } else if (startsWith(bytes, 12, ascii('VP8L'))) {
    if (bytes[20] !== 0x2f) return null;
    const bits = bytes[21]! | (bytes[22]! << 8) | (bytes[23]! << 16) | (bytes[24]! << 24);
    width = (bits & 0x3fff) + 1;
    height = ((bits >>> 14) & 0x3fff) + 1;
  } else if (startsWith(bytes, 12, ascii('VP8X'))) {
    width = u24le(bytes, 24) + 1;
    height = u24le(bytes, 27) + 1;
  } else {
    return null;
  }
  return width > 0 && height > 0 ? { format: 'webp', width, height } : null;
}

function ascii(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

function startsWith(bytes: Uint8Array, at: number, prefix: readonly number[]): boolean {
  if (at + prefix.length > bytes.length) return false;
  return prefix.every((byte, i) => bytes[at + i] === byte);
}

const u16be = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;
const u16le = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const u24le = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const u32be = (b: Uint8Array, at: number): number =>
  ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
