import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetEntrySchema, type DatasetLabel } from '../../shared/domain/dataset.js';

export interface LabelledImage {
  file: string;
  label: DatasetLabel;
  split?: 'train' | 'val';
}

const IMAGE = /\.(jpe?g|png|webp)$/i;

/**
 * The images of a labelled folder: from its `manifest.jsonl` when it has one, otherwise from
 * the ImageFolder layout (`roadwork/`, `none/`). Bad manifest lines are reported by line number.
 */
export async function listLabelledImages(dir: string, split?: 'train' | 'val'): Promise<LabelledImage[]> {
  let manifest: string | null = null;
  try {
    manifest = await readFile(join(dir, 'manifest.jsonl'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let images: LabelledImage[];
  if (manifest !== null) {
    images = manifest
      .split('\n')
      .map((line, index) => ({ line, index }))
      .filter(({ line }) => line.trim() !== '')
      .map(({ line, index }) => {
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch {
          throw new Error(`${join(dir, 'manifest.jsonl')} line ${index + 1} is not JSON.`);
        }
        const parsed = DatasetEntrySchema.safeParse(json);
        if (!parsed.success)
          throw new Error(`${join(dir, 'manifest.jsonl')} line ${index + 1} is not a dataset entry.`);
        return { file: parsed.data.file, label: parsed.data.label, split: parsed.data.split };
      });
  } else {
    images = [];
    for (const label of ['roadwork', 'none'] as const) {
      let names: string[] = [];
      try {
        names = await readdir(join(dir, label));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      for (const name of names.filter((n) => IMAGE.test(n)).sort()) images.push({ file: `${label}/${name}`, label });
    }
  }
  const selected = split ? images.filter((image) => image.split === split) : images;
  if (selected.length === 0)
    throw new Error(`${dir} holds no labelled images (expected manifest.jsonl, or roadwork/ and none/ folders).`);
  return selected;
}
