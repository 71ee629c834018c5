import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describeZodError } from '../../shared/errors.js';
import { ModelManifestSchema, type ModelManifest } from '../../shared/domain/model-manifest.js';

export const MANIFEST_FILE = 'model.json';

export class ModelLoadError extends Error {}

export interface ModelDir {
  dir: string;
  manifest: ModelManifest;
  onnxPath: string;
  positiveIndex: number;
}

/** Reads and checks a model folder (`model.json` + its ONNX file); every failure names the file. */
export async function readModelDir(dir: string): Promise<ModelDir> {
  const manifestPath = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (error) {
    throw new ModelLoadError(
      `${manifestPath} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): is ${dir} a model folder?`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ModelLoadError(`${manifestPath} is not valid JSON.`);
  }
  const parsed = ModelManifestSchema.safeParse(json);
  if (!parsed.success)
    throw new ModelLoadError(`${manifestPath} is not a model manifest: ${describeZodError(parsed.error)}`);
  const manifest = parsed.data;
  const onnxPath = join(dir, manifest.file);
  try {
    if (!(await stat(onnxPath)).isFile()) throw new Error('not a file');
  } catch {
    throw new ModelLoadError(`${onnxPath}, named by ${manifestPath}, is missing.`);
  }
  return { dir, manifest, onnxPath, positiveIndex: manifest.labels.indexOf(manifest.positiveLabel) };
}
