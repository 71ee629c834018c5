/**
 * Brings a model folder into the registry: checks that `model.json` is a manifest and that its
 * ONNX file loads, then copies the two into `<models>/<id>/` (through a temporary folder and a
 * rename, so a half-copied model never appears), so a run's folder may be deleted afterwards.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { OnnxClassifier } from '../inference/onnx-classifier.js';
import { MANIFEST_FILE, ModelLoadError, readModelDir, type ModelDir } from '../scoring/model-dir.js';
import { errorMessage } from '../../shared/errors.js';

/** A folder that passed the checks, with the hash of its two files (the same model twice is one). */
export interface CheckedModel {
  model: ModelDir;
  contentHash: string;
}

/** Reads the folder's manifest and hashes its two files; cheap, so a known model is found before any load. */
export async function readModelFolder(dir: string): Promise<CheckedModel> {
  const model = await readModelDir(dir);
  const hash = createHash('sha256');
  hash.update(await readFile(join(dir, MANIFEST_FILE)));
  hash.update(await readFile(model.onnxPath));
  return { model, contentHash: hash.digest('hex') };
}

/** Loads the ONNX file once: a corrupt or foreign file is refused here, not when the miner swaps it in. */
export async function checkModelRuns(model: ModelDir): Promise<void> {
  let classifier: OnnxClassifier | null = null;
  try {
    classifier = await OnnxClassifier.load(model, ['cpu']);
    // One blank image through it: the manifest's input and output names must match the graph.
    await classifier.classify(new Float32Array(classifier.imageSize), 1);
  } catch (error) {
    throw new ModelLoadError(
      `${model.onnxPath} does not run as ${model.dir}/model.json describes it: ${errorMessage(error)}`,
    );
  } finally {
    await classifier?.release();
  }
}

/** Copies the checked model into `<modelsDir>/<id>/` and returns that folder. */
export async function copyModelFolder(checked: CheckedModel, modelsDir: string, id: string): Promise<string> {
  const target = join(modelsDir, id);
  const staging = join(modelsDir, `.${id}.partial`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    await copyFile(join(checked.model.dir, MANIFEST_FILE), join(staging, MANIFEST_FILE));
    await copyFile(checked.model.onnxPath, join(staging, checked.model.manifest.file));
    // A leftover from a registration that died before its row was written.
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw new ModelLoadError(`${checked.model.dir} could not be copied into ${target}: ${errorMessage(error)}`);
  }
  return target;
}
