/**
 * The common case, decoded fast: validators send 224×224 baseline JPEGs written by PIL, and
 * libvips spends longer setting up a pipeline for one of those than decoding it. mozjpeg compiled
 * to WebAssembly decodes them in about half the time. Anything else — another format or size,
 * EXIF orientation, an ICC profile, or a file the decoder so much as warns about — returns null,
 * and sharp decides, so both paths accept and refuse exactly the same images.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import moduleFactory from '@jsquash/jpeg/codec/dec/mozjpeg_dec.js';

interface MozJpegDecoder {
  decode(
    data: Uint8Array,
    preserveOrientation: boolean,
  ): { data: Uint8ClampedArray; width: number; height: number } | null;
}

/** The part of WebAssembly used here (Node's type definitions leave the global out). */
interface WebAssemblyApi {
  compile(bytes: Uint8Array): Promise<object>;
  Instance: new (module: object, imports: object) => { exports: object };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

let decoder: Promise<MozJpegDecoder> | null = null;
let complaints = 0;

function loadDecoder(): Promise<MozJpegDecoder> {
  decoder ??= (async () => {
    const wasmPath = createRequire(import.meta.url).resolve('@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm');
    const wasm = await wasmApi.compile(readFileSync(wasmPath));
    const factory = moduleFactory as unknown as (options: Record<string, unknown>) => Promise<MozJpegDecoder>;
    return factory({
      noInitialRun: true,
      instantiateWasm: (imports: object, done: (instance: object) => void) => {
        const instance = new wasmApi.Instance(wasm, imports);
        done(instance);
        return instance.exports;
      },
      // libjpeg reports corrupt data as warnings: count them rather than print them.
      print: () => undefined,
      printErr: () => {
        complaints++;
      },
    });
  })();
  return decoder;
}

/** Starts compiling the decoder, so the first request does not pay for it. */
export function warmJpegFastPath(): Promise<void> {
  return loadDecoder().then(
    () => undefined,
    () => undefined,
  );
}

/** RGBA pixels of a clean `width`×`height` JPEG, or null when sharp should take the image. */
export async function decodeCleanJpeg(
  encoded: Buffer,
  width: number,
  height: number,
): Promise<Uint8ClampedArray | null> {
  if (!looksLikePlainJpeg(encoded)) return null;
  let jpeg: MozJpegDecoder;
  try {
    jpeg = await loadDecoder();
  } catch {
    return null;
  }
  // Synchronous from here on: the complaint count belongs to this image alone.
  complaints = 0;
  let image: ReturnType<MozJpegDecoder['decode']>;
  try {
    image = jpeg.decode(encoded, false);
  } catch {
    return null;
  }
  if (!image || complaints > 0 || image.width !== width || image.height !== height) return null;
  return image.data;
}

const EXIF = Buffer.from('Exif\0\0', 'latin1');
const ICC = Buffer.from('ICC_PROFILE\0', 'latin1');

function looksLikePlainJpeg(encoded: Buffer): boolean {
  const n = encoded.length;
  if (n < 4 || encoded[0] !== 0xff || encoded[1] !== 0xd8 || encoded[2] !== 0xff) return false;
  // A truncated file has no end-of-image marker: leave its verdict to sharp.
  if (encoded[n - 2] !== 0xff || encoded[n - 1] !== 0xd9) return false;
  const head = encoded.subarray(0, Math.min(n, 64 * 1024));
  return !head.includes(EXIF) && !head.includes(ICC);
}
