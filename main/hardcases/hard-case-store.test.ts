import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/temp-dir.js';
import { openDatabase } from '../store/database.js';
import { MIGRATIONS, migrationsBefore } from '../store/migrations.js';
import { HardCaseStore } from './hard-case-store.js';

const tempDir = useTempDirs();

function open(dir: string): { store: HardCaseStore; close: () => void } {
  const db = openDatabase(join(dir, 'console.db'), MIGRATIONS);
  return { store: new HardCaseStore(db, join(dir, 'images')), close: () => db.close() };
}

const seen = {
  source: 'challenge' as const,
  time: '2026-11-25T10:00:00.000Z',
  validator: '5Val',
  prediction: 0.55,
  firstStage: 0.55,
  secondStage: null,
  testnetLabel: null,
};

async function withCases(dir: string, count: number): Promise<string[]> {
  const { store, close } = open(dir);
  const hashes: string[] = [];
  for (let i = 0; i < count; i++) hashes.push((await store.addImage(Buffer.from(`image ${i}`), seen)).hash);
  close();
  return hashes;
}

describe('the hard-case store', () => {
  it('collapses the same image sent twice into one case seen twice, stored once', async () => {
    const dir = await tempDir();
    const { store, close } = open(dir);
    const first = await store.addImage(Buffer.from('same bytes'), seen);
    const second = await store.addImage(Buffer.from('same bytes'), {
      ...seen,
      time: '2026-11-25T11:00:00.000Z',
      validator: '5Other',
    });
    expect([first.duplicate, second.duplicate]).toEqual([false, true]);
    expect(store.get(first.hash)).toMatchObject({
      timesSeen: 2,
      lastSeen: '2026-11-25T11:00:00.000Z',
      validator: '5Other',
      confidence: 0.55,
    });
    expect(store.counts()).toMatchObject({ total: 1, unlabelled: 1 });
    expect((await readFile(store.imagePath(first.hash))).toString()).toBe('same bytes');
    close();
  });

  it('upgrades a database from before embeddings, filling in how far the two stages disagreed', async () => {
    const dir = await tempDir();
    const old = openDatabase(join(dir, 'console.db'), migrationsBefore('hard-case-embeddings'));
    const hash = 'a'.repeat(64);
    old
      .prepare(
        `INSERT INTO hard_cases (hash, source, first_seen, last_seen, times_seen, prediction, first_stage, second_stage, confidence)
         VALUES (?, 'challenge', ?, ?, 1, 0.55, 0.7, 0.4, 0.55)`,
      )
      .run(hash, seen.time, seen.time);
    old.close();
    const { store, close } = open(dir);
    expect(store.get(hash)!.disagreement).toBeCloseTo(0.3, 9);
    expect(store.get(hash)).toMatchObject({ uniqueness: null, label: 'unlabelled' });
    const fresh = await store.addImage(Buffer.from('two stages'), { ...seen, firstStage: 0.2, secondStage: 0.65 });
    expect(store.get(fresh.hash)!.disagreement).toBeCloseTo(0.45, 9);
    expect(store.get((await store.addImage(Buffer.from('one stage'), seen)).hash)!.disagreement).toBeNull();
    close();
  });

  it('records a batch of sightings in one go, telling listeners once', async () => {
    const { store, close } = open(await tempDir());
    let changes = 0;
    store.onDidChange(() => changes++);
    const batch = ['x', 'y', 'x', 'z'].map((name) => ({
      ...seen,
      hash: createHash('sha256').update(name).digest('hex'),
    }));
    expect(store.recordSightings(batch)).toBe(3);
    expect(changes).toBe(1);
    expect(store.counts().total).toBe(3);
    expect(store.get(batch[0]!.hash)!.timesSeen).toBe(2);
    expect(store.recordSightings(batch.slice(0, 1))).toBe(0);
    expect(changes).toBe(1);
    close();
  });

  it('undoes and redoes labelling steps across a restart', async () => {
    const dir = await tempDir();
    const [a, b, c] = (await withCases(dir, 3)) as [string, string, string];
    let { store, close } = open(dir);
    store.label([a, b], 'roadwork', 'op');
    store.label([c], 'none', 'op');
    expect(store.counts()).toMatchObject({ roadwork: 2, none: 1, unlabelled: 0 });
    close();

    ({ store, close } = open(dir));
    expect(store.undo()).toEqual({ hashes: [c], labels: { [c]: 'unlabelled' } });
    expect(store.undo()!.hashes.sort()).toEqual([a, b].sort());
    expect(store.counts()).toMatchObject({ unlabelled: 3 });
    close();

    ({ store, close } = open(dir));
    expect(store.redo()!.labels).toEqual({ [a]: 'roadwork', [b]: 'roadwork' });
    expect(store.get(a)).toMatchObject({ label: 'roadwork', labelledBy: 'op' });
    // A new step forgets what could still be redone (labelling c "none").
    store.label([c], 'skip', 'op');
    expect(store.redo()).toBeNull();
    expect(store.counts()).toMatchObject({ roadwork: 2, skip: 1 });
    close();
  });

  it('loses no label that was shown as done when the process is killed mid-burst', { timeout: 60_000 }, async () => {
    const dir = await tempDir();
    const all = await withCases(dir, 300);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'label-burst.ts'), dir],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    const shown = await new Promise<string[]>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const lines = output.split('\n').filter((line) => line.startsWith('labelled '));
        if (lines.length >= 60) {
          child.kill('SIGKILL');
          resolve(lines);
        }
      });
    });
    await new Promise((resolve) => child.on('exit', resolve));
    const { store, close } = open(dir);
    for (const line of shown) expect(store.get(line.split(' ')[1]!)?.label, line).toBe('roadwork');
    // Killed midway: some cases were never labelled, and the database is still sound.
    expect(store.counts().unlabelled).toBeGreaterThan(0);
    expect(store.counts().total).toBe(all.length);
    close();
  });
});
