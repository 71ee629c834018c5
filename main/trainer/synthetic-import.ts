/**
 * Bringing a synthetic job's output into the hard cases: the folder generate.py wrote on the box
 * (`roadwork/`, `none/`, `manifest.jsonl`), pulled here. Each image becomes a case with source
 * `generated`, labelled by its folder, as one undoable step; a repeat of an image already there
 * is the same case seen again. A corrupt file, or a manifest line that names none, is refused by
 * name with the reason and the rest are kept.
 *
 *   const counts = await importGenerated(pulledFolder, hardCases);
 *   // { added, duplicates, labelled: { roadwork, none }, refused: [{ file, reason }] }
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { DATASET_LABELS, DatasetEntrySchema, type DatasetLabel } from '../../shared/domain/dataset.js';
import type { HardCaseStore } from '../hardcases/hard-case-store.js';
import { importImages } from '../hardcases/import-images.js';

export interface GeneratedImport {
  /** New cases. */
  added: number;
  /** Images the store already held (the same bytes): counted once more, not stored again. */
  duplicates: number;
  /** Cases labelled from the folder they came in, added or duplicate. */
  labelled: Record<DatasetLabel, number>;
  /** Files (relative to the folder) or manifest lines that were not taken, each with why. */
  refused: { file: string; reason: string }[];
}

const IMAGE_FILE = /\.(jpe?g|png|webp)$/i;

/**
 * Imports the generated set in `folder`. With a `manifest.jsonl` (a finished job) exactly the
 * files it lists; without one (a job stopped part way) the images in `roadwork/` and `none/`,
 * leaving aside anything else there (a half-written `.tmp`). A folder with neither is an error.
 */
export async function importGenerated(
  folder: string,
  store: HardCaseStore,
  options: { by?: string } = {},
): Promise<GeneratedImport> {
  const { files, refused } = await listGenerated(folder);
  const verdicts = await importImages(
    store,
    files.map((file) => join(folder, file)),
    { source: 'generated', by: options.by ?? 'generator' },
  );
  const result: GeneratedImport = { added: 0, duplicates: 0, labelled: { roadwork: 0, none: 0 }, refused };
  for (const verdict of verdicts) {
    if (verdict.status === 'refused') {
      result.refused.push({ file: relative(folder, verdict.path), reason: verdict.reason ?? 'refused' });
      continue;
    }
    if (verdict.status === 'added') result.added++;
    else result.duplicates++;
    if (verdict.label === 'roadwork' || verdict.label === 'none') result.labelled[verdict.label]++;
  }
  return result;
}

async function listGenerated(folder: string): Promise<{ files: string[]; refused: GeneratedImport['refused'] }> {
  let manifest: string | null = null;
  try {
    manifest = await readFile(join(folder, 'manifest.jsonl'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (manifest !== null) return filesOfManifest(manifest);

  const files: string[] = [];
  for (const label of DATASET_LABELS) {
    try {
      const names = (await readdir(join(folder, label))).filter((name) => IMAGE_FILE.test(name)).sort();
      files.push(...names.map((name) => `${label}/${name}`));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  if (files.length === 0) {
    throw new Error(`${folder} holds no generated images: no manifest.jsonl and no images in roadwork/ or none/.`);
  }
  return { files, refused: [] };
}

/** The files a manifest names; a line that is not a valid entry is refused by its number. */
function filesOfManifest(text: string): { files: string[]; refused: GeneratedImport['refused'] } {
  const files: string[] = [];
  const refused: GeneratedImport['refused'] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `manifest.jsonl line ${index + 1}`;
    let entry;
    try {
      entry = DatasetEntrySchema.safeParse(JSON.parse(line));
    } catch {
      refused.push({ file: where, reason: 'is not JSON' });
      return;
    }
    if (!entry.success) refused.push({ file: where, reason: 'is not a dataset entry (file, label, source)' });
    else if (!entry.data.file.startsWith(`${entry.data.label}/`))
      refused.push({
        file: entry.data.file,
        reason: `is labelled ${entry.data.label} but lies outside ${entry.data.label}/`,
      });
    else files.push(entry.data.file);
  });
  return { files, refused };
}
