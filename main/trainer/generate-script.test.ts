/**
 * resources/trainer/generate.py, run as the trainer box runs it: Debian's Python with Pillow and
 * numpy (no diffusers, no GPU here, so `auto` falls back to the procedural generator).
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DatasetEntrySchema } from '../../shared/domain/dataset.js';
import { useTempDirs } from '../../tests/temp-dir.js';

const SCRIPT = join(import.meta.dirname, '..', '..', 'resources', 'trainer', 'generate.py');
const PYTHON = process.env.TRAINER_PYTHON ?? '/usr/bin/python3';
const tempDir = useTempDirs();

type GeneratorEvent = { event: string } & Record<string, unknown>;

interface Finished {
  code: number | null;
  events: GeneratorEvent[];
  stdout: string;
  stderr: string;
}

/** Runs the script; every stdout line must be JSON. `onEvent` sees each event as it comes. */
function generate(args: string[], onEvent?: (event: GeneratorEvent, stop: () => void) => void): Promise<Finished> {
  const child = spawn(PYTHON, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const events: GeneratorEvent[] = [];
  let stdout = '';
  let stderr = '';
  let pending = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const event = JSON.parse(line) as GeneratorEvent; // a stray line fails the test here
      events.push(event);
      onEvent?.(event, () => child.kill('SIGTERM'));
    }
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, events, stdout, stderr })));
}

/** The run's events, which must all be `error` lines: their messages. */
function errorsOf(run: Finished): unknown[] {
  expect(run.events.map((event) => event.event)).toEqual(run.events.map(() => 'error'));
  return run.events.map((event) => event.message);
}

async function manifestOf(dir: string) {
  const text = await readFile(join(dir, 'manifest.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => DatasetEntrySchema.parse(JSON.parse(line)));
}

describe('generate.py (procedural)', { timeout: 120_000 }, () => {
  it('writes decodable 512×512 JPEGs of both classes, a valid manifest, and JSON-line events', async () => {
    const out = await tempDir();
    const run = await generate(['--out', out, '--count', '6', '--seed', '7', '--backend', 'procedural']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.events.map((event) => event.event)).toEqual(['start', ...Array<string>(6).fill('progress'), 'done']);
    expect(run.events[0]).toMatchObject({ backend: 'procedural', count: 6, seed: 7, resumed: 0, fallback: null });
    expect(run.events.filter((event) => event.event === 'progress').at(-1)).toEqual({
      event: 'progress',
      done: 6,
      total: 6,
    });
    expect(run.events.at(-1)).toMatchObject({ event: 'done', count: 6, roadwork: 3, none: 3 });

    const manifest = await manifestOf(out);
    expect(manifest).toHaveLength(6);
    expect(new Set(manifest.map((entry) => entry.seed)).size).toBe(6);
    for (const entry of manifest) {
      expect(entry.file.startsWith(`${entry.label}/`)).toBe(true);
      expect(entry.source).toBe('generated');
      const meta = await sharp(join(out, entry.file)).metadata();
      expect(meta).toMatchObject({ format: 'jpeg', width: 512, height: 512 });
      await sharp(join(out, entry.file), { failOn: 'truncated' }).raw().toBuffer(); // decodes whole
    }
    expect((await readdir(join(out, 'roadwork'))).sort()).toEqual(
      manifest.filter((entry) => entry.label === 'roadwork').map((entry) => entry.file.slice('roadwork/'.length)),
    );
    expect(await readdir(join(out, 'none'))).toHaveLength(3);
    // The events are also kept beside the images, for a console that reattaches.
    expect(await readFile(join(out, 'events.jsonl'), 'utf8')).toBe(run.stdout);
  });

  it('the same seed gives the same bytes; another seed other images', async () => {
    const [a, b, c] = [await tempDir(), await tempDir(), await tempDir()];
    const args = (out: string, seed: string) => [
      '--out',
      out,
      '--count',
      '2',
      '--seed',
      seed,
      '--backend',
      'procedural',
    ];
    const runs = await Promise.all([generate(args(a, '5')), generate(args(b, '5')), generate(args(c, '6'))]);
    expect(runs.map((run) => run.code)).toEqual([0, 0, 0]);
    const bytes = (dir: string, file: string) => readFile(join(dir, file));
    for (const { file } of await manifestOf(a)) expect((await bytes(a, file)).equals(await bytes(b, file))).toBe(true);
    expect(await readFile(join(a, 'manifest.jsonl'), 'utf8')).toBe(await readFile(join(b, 'manifest.jsonl'), 'utf8'));
    const other = (await manifestOf(c))[0]!.file;
    const first = (await manifestOf(a))[0]!.file;
    expect((await bytes(a, first)).equals(await bytes(c, other))).toBe(false);
  });

  it('SIGTERM stops between images with exit 143 and no manifest; the same command goes on from there', async () => {
    const out = await tempDir();
    const args = ['--out', out, '--count', '16', '--seed', '1', '--prompt-set', 'roadwork', '--backend', 'procedural'];
    const stopped = await generate(args, (event, stop) => {
      if (event.event === 'progress' && event.done === 1) stop();
    });
    expect(stopped.code, stopped.stderr).toBe(143);
    const last = stopped.events.at(-1)!;
    expect(last).toMatchObject({ event: 'stopped', total: 16 });
    expect(await readdir(out)).not.toContain('manifest.jsonl');
    const kept = await readdir(join(out, 'roadwork'));
    expect(kept).toHaveLength(last.done as number);

    const resumed = await generate(args);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.events[0]).toMatchObject({ event: 'start', resumed: kept.length });
    const manifest = await manifestOf(out);
    expect(manifest.map((entry) => entry.label)).toEqual(Array<string>(16).fill('roadwork'));
    expect(await readdir(join(out, 'none'))).toEqual([]);
  });

  it('auto falls back to procedural and says why; sdxl asked for outright fails with the reason', async () => {
    const missing = ['--sdxl-model', '/nonexistent/sdxl-model', '--count', '1'];
    const auto = await generate(['--out', await tempDir(), ...missing, '--backend', 'auto']);
    expect(auto.code, auto.stderr).toBe(0);
    expect(auto.events[0]).toMatchObject({ backend: 'procedural', requested: 'auto' });
    expect(auto.events[0]!.fallback).toMatch(/^SDXL unavailable: .+; using the procedural generator$/);
    expect(auto.stderr).toContain('SDXL unavailable');

    const sdxl = await generate(['--out', await tempDir(), ...missing, '--backend', 'sdxl']);
    expect(sdxl.code).toBe(1);
    expect(errorsOf(sdxl)).toEqual([expect.stringMatching(/^--backend sdxl cannot run: /) as string]);
  });

  it('refuses bad arguments and a folder that already holds a dataset, with an error line', async () => {
    const bad = await generate(['--out', await tempDir(), '--count', '0']);
    expect(bad.code).toBe(2);
    expect(errorsOf(bad)).toEqual(['bad arguments: argument --count: must be at least 1']);

    const out = await tempDir();
    await writeFile(join(out, 'manifest.jsonl'), '');
    const taken = await generate(['--out', out, '--count', '1', '--backend', 'procedural']);
    expect(taken.code).toBe(1);
    expect(errorsOf(taken)).toEqual([`${out} already holds a dataset (manifest.jsonl): choose an empty folder`]);
  });
});
