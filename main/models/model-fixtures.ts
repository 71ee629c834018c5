/**
 * Real model folders for tests: the shipped model under another version (the same network, so
 * it judges exactly as the live one does), or the shipped network with its logits scaled in the
 * ONNX graph (−1 flips every answer: a model far worse than the live one). Test support only;
 * nothing in the console imports it.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const SHIPPED_MODEL_DIR = join(import.meta.dirname, '..', '..', 'resources', 'models', 'default');
/** Debian's Python, which has the onnx package (the PATH one may not). */
const PYTHON = '/usr/bin/python3';

/** The shipped model, copied into `dir` with its manifest saying `version` (and `name`, if given). */
export async function copyOfShippedModel(dir: string, version: string, name?: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await copyFile(join(SHIPPED_MODEL_DIR, 'model.onnx'), join(dir, 'model.onnx'));
  const manifest = JSON.parse(await readFile(join(SHIPPED_MODEL_DIR, 'model.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(
    join(dir, 'model.json'),
    JSON.stringify({ ...manifest, version, name: name ?? manifest.name, createdAt: new Date().toISOString() }, null, 2),
  );
  return dir;
}

const SCALE_LOGITS = `
import sys, onnx
from onnx import helper, TensorProto
model = onnx.load(sys.argv[1])
graph = model.graph
for node in graph.node:
    node.output[:] = ['logits_unscaled' if name == 'logits' else name for name in node.output]
graph.initializer.append(helper.make_tensor('logit_scale', TensorProto.FLOAT, [], [float(sys.argv[3])]))
graph.node.append(helper.make_node('Mul', ['logits_unscaled', 'logit_scale'], ['logits']))
onnx.checker.check_model(model)
onnx.save(model, sys.argv[2])
`;

/**
 * The shipped network with its logits multiplied by `scale`: −1 answers 1 − P(roadwork) (far
 * worse than the live model); 0.5 gives softer probabilities on the same side of 0.5 (the same
 * MCC, accuracy and reward, so it passes the gate, yet every answer differs).
 */
export async function scaledShippedModel(dir: string, scale: number, version: string, name: string): Promise<string> {
  await copyOfShippedModel(dir, version, name);
  await promisify(execFile)(PYTHON, [
    '-c',
    SCALE_LOGITS,
    join(SHIPPED_MODEL_DIR, 'model.onnx'),
    join(dir, 'model.onnx'),
    String(scale),
  ]);
  return dir;
}
