import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelManifestSchema } from '../shared/domain/model-manifest.js';
import { writeDataset } from '../main/scenes/generate.js';
import { useTempDirs } from './temp-dir.js';
import { datasetHash, FAKE_HF_EMBEDDING, withEnv, writeFakeTransformers } from './trainer-fixture.js';
import { findTorchPython, startTrainer } from './trainer-run.js';

const tempDir = useTempDirs();
let python: string;

beforeAll(() => {
  python = findTorchPython();
});

/** A small set of real generated scenes: enough for the mechanics, not for accuracy. */
async function scenes(count = 48, seed = 11): Promise<string> {
  const dir = await tempDir();
  await writeDataset({ out: dir, count, seed });
  return dir;
}

const quick = ['--epochs', '1', '--batch-size', '8', '--max-steps', '6', '--log-every', '2', '--checkpoint-every', '3'];

describe('the trainer script on CPU', { timeout: 180_000 }, () => {
  it('trains, reports JSON lines only, and exports a model the console can load', async () => {
    const data = await scenes();
    const out = await tempDir();
    const run = startTrainer(python, [
      '--data',
      data,
      '--out',
      out,
      ...quick,
      '--name',
      'ci',
      '--data-command',
      'npm run scenes',
    ]);
    expect(await run.exit, run.stderr()).toBe(0);
    expect(run.stray).toEqual([]);
    const kinds = run.events.map((event) => event.event);
    for (const kind of ['start', 'step', 'checkpoint', 'epoch', 'exported', 'done']) expect(kinds).toContain(kind);
    const step = run.events.find((event) => event.event === 'step')!;
    for (const key of ['step', 'epoch', 'loss', 'accuracy', 'mcc', 'lr', 'throughput', 'etaS'])
      expect(step[key], key).toEqual(expect.any(Number));
    expect(run.events.find((event) => event.event === 'start')).toMatchObject({
      device: 'cpu',
      skipped: 0,
      resumedFromStep: null,
    });

    // The same events are kept on disk for a console that reattaches.
    const kept = (await readFile(join(out, 'metrics.jsonl'), 'utf8')).trim().split('\n');
    expect(kept.map((line) => (JSON.parse(line) as { event: string }).event)).toEqual(kinds);

    const manifest = ModelManifestSchema.parse(JSON.parse(await readFile(join(out, 'model.json'), 'utf8')));
    expect(manifest).toMatchObject({
      name: 'ci',
      architecture: 'small-cnn',
      positiveLabel: 'roadwork',
      labels: ['none', 'roadwork'],
    });
    expect(manifest.training.command).toMatch(/^python3 resources\/trainer\/train\.py --data /);
    expect(manifest.training.dataCommand).toBe('npm run scenes');

    const session = await ort.InferenceSession.create(join(out, manifest.file));
    const input = new ort.Tensor('float32', new Float32Array(2 * 3 * 224 * 224).fill(0.1), [2, 3, 224, 224]);
    const result = await session.run({ [manifest.input.name]: input });
    expect(result[manifest.outputs.logits]!.dims).toEqual([2, 2]);
    expect(result[manifest.outputs.embedding!]!.dims[0]).toBe(2);
    await session.release();

    // The data hash is a function of the files alone: the console can recompute it.
    expect(manifest.training.dataHash).toBe(await datasetHash(data));
  });

  it('resumes from its checkpoint after being killed', async () => {
    const data = await scenes();
    const out = await tempDir();
    const args = [
      '--data',
      data,
      '--out',
      out,
      '--epochs',
      '2',
      '--batch-size',
      '8',
      '--log-every',
      '1',
      '--checkpoint-every',
      '2',
    ];
    const first = startTrainer(python, args);
    const checkpoint = await first.waitFor('checkpoint');
    first.child.kill('SIGKILL');
    await first.exit;

    const second = startTrainer(python, args);
    expect(await second.exit, second.stderr()).toBe(0);
    const start = second.events.find((event) => event.event === 'start')!;
    expect(start.resumedFromStep).toEqual(expect.any(Number));
    expect(start.resumedFromStep as number).toBeGreaterThanOrEqual(checkpoint.step as number);
    const firstStep = second.events.find((event) => event.event === 'step')!;
    expect(firstStep.step as number).toBeGreaterThan(start.resumedFromStep as number);
    expect(second.events.at(-1)!.event).toBe('done');
  });

  it('stops cleanly on SIGTERM with a checkpoint, as at the end of a nightly window', async () => {
    const data = await scenes();
    const out = await tempDir();
    const run = startTrainer(python, [
      '--data',
      data,
      '--out',
      out,
      '--epochs',
      '3',
      '--batch-size',
      '8',
      '--log-every',
      '1',
    ]);
    await run.waitFor('step');
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(143);
    const stopped = run.events.find((event) => event.event === 'stopped');
    expect(stopped).toBeDefined();
    expect(run.events.filter((event) => event.event === 'checkpoint').at(-1)!.step).toBe(stopped!.step);
  });

  it('skips and counts a corrupt image, and refuses a set with one class', async () => {
    const data = await scenes(24, 3);
    const lines = (await readFile(join(data, 'manifest.jsonl'), 'utf8')).trim().split('\n');
    await writeFile(join(data, (JSON.parse(lines[0]!) as { file: string }).file), 'this is not a jpeg');
    const corrupt = startTrainer(python, ['--data', data, '--out', await tempDir(), ...quick]);
    expect(await corrupt.exit, corrupt.stderr()).toBe(0);
    expect(corrupt.events.find((event) => event.event === 'start')!.skipped).toBe(1);
    expect(corrupt.stderr()).toContain(`skipping ${(JSON.parse(lines[0]!) as { file: string }).file}`);

    const oneClass = await scenes(12, 4);
    await rm(join(oneClass, 'none'), { recursive: true });
    const kept = (await readFile(join(oneClass, 'manifest.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .filter((line) => line.includes('"roadwork/'));
    await writeFile(join(oneClass, 'manifest.jsonl'), kept.join('\n') + '\n');
    const refused = startTrainer(python, ['--data', oneClass, '--out', await tempDir(), ...quick]);
    expect(await refused.exit).toBe(1);
    expect(errorMessage(refused.events)).toMatch(/only roadwork images: it needs both roadwork and none/);
  });
});

describe('the trainer script refusing what it cannot do', { timeout: 120_000 }, () => {
  it('answers bad arguments and a folder without a manifest with one error line', async () => {
    const out = await tempDir();
    const bad = startTrainer(python, ['--data', out, '--out', out, '--epochs', '0', '--version', '1.2']);
    expect(await bad.exit).toBe(2);
    expect(bad.events).toEqual([
      { event: 'error', message: 'bad arguments: --epochs must be at least 1; --version must look like 1.2.3' },
    ]);

    const empty = startTrainer(python, ['--data', out, '--out', join(out, 'run'), ...quick]);
    expect(await empty.exit).toBe(1);
    expect(empty.stray).toEqual([]);
    expect(errorMessage(empty.events)).toBe(
      `${join(out, 'manifest.jsonl')} is missing: the data folder needs a manifest.jsonl (one JSON line per image)`,
    );
  });

  it('fine-tunes a Hugging Face classifier that is on the box, and says so when it is not', async () => {
    const data = await scenes(24, 5);
    const model = await tempDir(); // a local model folder: the stand-in only checks that it exists
    const fake = await writeFakeTransformers(await tempDir());
    const out = await tempDir();
    const run = withEnv({ PYTHONPATH: fake }, () =>
      startTrainer(python, ['--data', data, '--out', out, '--base', `hf:${model}`, ...quick]),
    );
    expect(await run.exit, run.stderr()).toBe(0);
    const manifest = ModelManifestSchema.parse(JSON.parse(await readFile(join(out, 'model.json'), 'utf8')));
    // The processor's size, mean and std, not the small CNN's.
    expect(manifest).toMatchObject({
      architecture: `hf:${model}`,
      input: { width: 64, height: 64, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    });
    const session = await ort.InferenceSession.create(join(out, manifest.file));
    const input = new ort.Tensor('float32', new Float32Array(2 * 3 * 64 * 64), [2, 3, 64, 64]);
    const result = await session.run({ [manifest.input.name]: input });
    expect(result[manifest.outputs.logits]!.dims).toEqual([2, 2]);
    // One embedding per image, as wide as the model's CLS feature.
    expect(result[manifest.outputs.embedding!]!.dims).toEqual([2, FAKE_HF_EMBEDDING]);
    await session.release();

    const absentOut = await tempDir();
    const absent = withEnv({ PYTHONPATH: fake }, () =>
      startTrainer(python, ['--data', data, '--out', absentOut, '--base', 'hf:org/absent-model', ...quick]),
    );
    expect(await absent.exit).toBe(1);
    expect(errorMessage(absent.events)).toMatch(
      /^the model org\/absent-model is not available on this box without a download/,
    );

    const missing = await writeFakeTransformers(await tempDir(), { missing: true });
    const noPackageOut = await tempDir();
    const noPackage = withEnv({ PYTHONPATH: missing }, () =>
      startTrainer(python, ['--data', data, '--out', noPackageOut, '--base', `hf:${model}`, ...quick]),
    );
    expect(await noPackage.exit).toBe(1);
    expect(errorMessage(noPackage.events)).toMatch(/needs the transformers package/);
  });
});

function errorMessage(events: { event: string; message?: unknown }[]): string {
  const message = events.find((event) => event.event === 'error')?.message;
  return typeof message === 'string' ? message : '';
}
