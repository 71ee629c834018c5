/**
 * Adding images the operator drops or picks: files, or folders walked recursively. A folder laid
 * out as an ImageFolder (`roadwork/`, `none/`) brings its labels, as one undoable step. Every file
 * gets its own verdict: added, already there, or refused with the reason; one bad file never stops
 * the rest.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import sharp from 'sharp';
import type { HardCase, HardCaseLabel } from '../../shared/domain/hard-case.js';
import { importedSighting, type HardCaseStore } from './hard-case-store.js';
import { errorMessage } from '../../shared/errors.js';

export interface ImportVerdict {
  path: string;
  status: 'added' | 'duplicate' | 'refused';
  hash?: string;
  label?: HardCaseLabel;
  reason?: string;
}

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
const MAX_PIXELS = 40_000_000;
const FORMATS = new Set(['jpeg', 'png', 'webp']);

/** Why a file this large is refused, before any of it is read. */
export function oversizeReason(size: number, maxBytes = MAX_IMPORT_BYTES): string {
  return `is ${(size / 1e6).toFixed(1)} MB, over the ${(maxBytes / 1e6).toFixed(0)} MB limit`;
}

export async function importImages(
  store: HardCaseStore,
  paths: readonly string[],
  /** `source`: what the new cases are recorded as (default `imported`; the synthetic job's are `generated`). */
  options: { maxBytes?: number; by?: string; source?: HardCase['source'] } = {},
): Promise<ImportVerdict[]> {
  const files: FoundFile[] = [];
  const verdicts: ImportVerdict[] = [];
  for (const path of paths) {
    try {
      await collect(path, files);
    } catch (error) {
      verdicts.push({
        path,
        status: 'refused',
        reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      });
    }
  }
  const labelled = new Map<HardCaseLabel, string[]>();
  for (const file of files) {
    const verdict = await importOne(store, file, options.maxBytes ?? MAX_IMPORT_BYTES, options.source ?? 'imported');
    verdicts.push(verdict);
    if (verdict.hash && verdict.label)
      labelled.set(verdict.label, [...(labelled.get(verdict.label) ?? []), verdict.hash]);
  }
  for (const [label, hashes] of labelled) store.label(hashes, label, options.by ?? 'import');
  return verdicts;
}

interface FoundFile {
  path: string;
  size: number;
}

async function collect(path: string, into: FoundFile[]): Promise<void> {
  const info = await stat(path);
  if (!info.isDirectory()) {
    into.push({ path, size: info.size });
    return;
  }
  for (const entry of (await readdir(path)).sort()) {
    if (!entry.startsWith('.')) await collect(join(path, entry), into);
  }
}

async function importOne(
  store: HardCaseStore,
  { path, size }: FoundFile,
  maxBytes: number,
  source: HardCase['source'],
): Promise<ImportVerdict> {
  const refuse = (reason: string): ImportVerdict => ({ path, status: 'refused', reason });
  if (size > maxBytes) return refuse(oversizeReason(size, maxBytes));
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return refuse(`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let jpeg: Buffer;
  try {
    // A truncated file is refused here, not stored with a grey bottom half.
    const image = sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'truncated' });
    const meta = await image.metadata();
    if (!meta.format || !FORMATS.has(meta.format))
      return refuse(`is not a JPEG, PNG or WebP image${meta.format ? ` (${meta.format})` : ''}`);
    // Stored as the miner receives images: JPEG, upright. An upright JPEG is kept byte for byte
    // once it decodes whole; anything else is decoded (or refused) by its conversion.
    const keep = meta.format === 'jpeg' && !meta.orientation;
    if (keep) await image.resize(16, 16).raw().toBuffer();
    jpeg = keep ? bytes : await image.rotate().jpeg({ quality: 95 }).toBuffer();
  } catch (error) {
    const detail = errorMessage(error).split('\n')[0];
    return refuse(`is not an image that can be decoded (${detail})`);
  }
  const folder = basename(dirname(path));
  const label: HardCaseLabel | undefined = folder === 'roadwork' || folder === 'none' ? folder : undefined;
  const { hash, duplicate } = await store.addImage(jpeg, { ...importedSighting(), source });
  return { path, status: duplicate ? 'duplicate' : 'added', hash, ...(label ? { label } : {}) };
}
