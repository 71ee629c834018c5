import { spawnSync } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/temp-dir.js';
import { writeDataset } from '../scenes/generate.js';
import { evaluateModel } from './evaluate.js';
import { ModelLoadError, readModelDir } from '../scoring/model-dir.js';

const tempDir = useTempDirs();
const ROOT = join(import.meta.dirname, '..', '..');
const DEFAULT_MODEL = join(ROOT, 'resources', 'models', 'default');

describe('evaluating a model the way validators score a miner', () => {
  it('the shipped default model is a real classifier of street scenes it has never seen', async () => {
    const data = await tempDir();
    // A seed far from the ones the model was trained on.
    await writeDataset({ out: data, count: 120, seed: 424242 });
    const report = await evaluateModel({ modelDir: DEFAULT_MODEL, dataDir: data });
    expect(report.data).toMatchObject({ images: 120, roadwork: 60, none: 60, unreadable: [] });
    expect(report.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(report.mcc).toBeGreaterThanOrEqual(0.7);
    expect(report.auc).toBeGreaterThanOrEqual(0.9);
    // Not a constant: its answers spread across the range.
    const probabilities = report.predictions.map((prediction) => prediction.probability);
    expect(Math.max(...probabilities) - Math.min(...probabilities)).toBeGreaterThan(0.8);
    expect(report.expectedReward).toBeGreaterThan(0.5);
  });

  it('lists a corrupt image and scores the rest', async () => {
    const data = await tempDir();
    await writeDataset({ out: data, count: 8, seed: 5 });
    const manifest = (await readFile(join(data, 'manifest.jsonl'), 'utf8')).trim().split('\n');
    const victim = (JSON.parse(manifest[3]!) as { file: string }).file;
    await writeFile(join(data, victim), Buffer.from('not a jpeg at all'));
    const report = await evaluateModel({ modelDir: DEFAULT_MODEL, dataDir: data });
    expect(report.data.images).toBe(7);
    expect(report.data.unreadable).toEqual([
      { file: victim, reason: expect.stringMatching(/cannot be decoded/) as unknown },
    ]);
  });

  it('says which file is wrong when a model folder is not one', async () => {
    const empty = await tempDir();
    await expect(readModelDir(empty)).rejects.toThrow(new RegExp(`${join(empty, 'model.json')} cannot be read`));
    const broken = await tempDir();
    await cp(DEFAULT_MODEL, broken, { recursive: true });
    await writeFile(join(broken, 'model.onnx'), '');
    const manifest = JSON.parse(await readFile(join(broken, 'model.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(broken, 'model.json'), JSON.stringify({ ...manifest, file: 'missing.onnx' }));
    await expect(readModelDir(broken)).rejects.toBeInstanceOf(ModelLoadError);
    await expect(readModelDir(broken)).rejects.toThrow(/missing\.onnx, named by .*model\.json, is missing/);
    await writeFile(join(broken, 'model.json'), JSON.stringify({ ...manifest, labels: ['none'] }));
    await expect(readModelDir(broken)).rejects.toThrow(/is not a model manifest/);
  });

  it('npm run eval prints the figures, or JSON with --json', async () => {
    const data = await tempDir();
    await writeDataset({ out: data, count: 16, seed: 99 });
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'main', 'models', 'eval-cli.ts'), ...args], {
        encoding: 'utf8',
      });
    const text = run('--model', DEFAULT_MODEL, '--data', data);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/Accuracy\s+\d\.\d{4}/);
    expect(text.stdout).toMatch(/actual roadwork/);
    const json = run('--model', DEFAULT_MODEL, '--data', data, '--json');
    expect(json.status).toBe(0);
    const parsed = JSON.parse(json.stdout) as { accuracy: number; mcc: number; confusion: Record<string, number> };
    expect(Object.values(parsed.confusion).reduce((a, b) => a + b, 0)).toBe(16);
    const missing = run('--model', DEFAULT_MODEL);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--model and --data are required/);
  });
});
