import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/temp-dir.js';
import { TRAINING_LOG_LINES } from '../../shared/domain/training.js';
import { openDatabase } from '../store/database.js';
import { MIGRATIONS } from '../store/migrations.js';
import { parseGpu } from './run-follower.js';
import { RunStore } from './run-store.js';
import { parseTrainerEvent } from './trainer-events.js';
import { plantedRun } from './run-fixtures.js';

const tempDir = useTempDirs();

function openStore(path: string) {
  const db = openDatabase(path, MIGRATIONS);
  return { db, store: new RunStore(db) };
}

const RUN = plantedRun('r1', '2026-01-01T00:00:00.000Z');

const step = (n: number) =>
  `{"event":"step","step":${n},"epoch":1,"loss":0.5,"accuracy":0.7,"mcc":0.3,"lr":0.001,"throughput":12.5,"etaS":3}`;

describe('the run store', () => {
  it('keeps points by their line on the box: after a reopen it resumes there, and a line twice is one point', async () => {
    const path = join(await tempDir(), 'console.db');
    const first = openStore(path);
    first.store.create(RUN);
    const points = [1, 2, 3].map((n) => {
      const event = parseTrainerEvent(step(n));
      if (event.kind !== 'step') throw new Error('not a step');
      return { line: n, kind: 'step' as const, point: event.point };
    });
    first.store.addPoints('r1', [...points, { line: 4, kind: 'other' }]);
    first.db.close();

    const again = openStore(path);
    expect(again.store.require('r1')).toMatchObject({ state: 'running', metricsLines: 4 });
    again.store.addPoints('r1', points.slice(2));
    expect(again.store.metrics('r1').steps.map((point) => point.step)).toEqual([1, 2, 3]);
    expect(again.store.require('r1').metricsLines).toBe(4);
    again.db.close();
  });

  it('keeps the newest log lines of a run, and counts the trainer lines it has taken in', async () => {
    const { db, store } = openStore(join(await tempDir(), 'console.db'));
    store.create(RUN);
    store.appendLog('r1', 'console', ['Queued']);
    store.appendLog(
      'r1',
      'trainer',
      Array.from({ length: TRAINING_LOG_LINES + 5 }, (_, i) => `line ${i}`),
    );
    const log = store.log('r1', TRAINING_LOG_LINES);
    expect(log).toHaveLength(TRAINING_LOG_LINES);
    expect(log.at(-1)).toBe(`line ${TRAINING_LOG_LINES + 4}`);
    expect(log).not.toContain('» Queued');
    expect(store.require('r1').logLines).toBe(TRAINING_LOG_LINES + 5);
    db.close();
  });
});

describe('the box reports', () => {
  it("reads nvidia-smi's line, unknown values as null", () => {
    expect(parseGpu('NVIDIA GeForce RTX 4090, 97, 20011, 24564')).toEqual({
      name: 'NVIDIA GeForce RTX 4090',
      utilizationPercent: 97,
      memoryUsedMiB: 20011,
      memoryTotalMiB: 24564,
    });
    expect(parseGpu('NVIDIA A100, [N/A], 100, [N/A]')).toMatchObject({
      utilizationPercent: null,
      memoryTotalMiB: null,
    });
    expect(parseGpu('garbage')).toBeNull();
  });

  it('reads an error line and leaves what it does not know as other', () => {
    expect(parseTrainerEvent('{"event":"error","message":"CUDA out of memory"}')).toEqual({
      kind: 'error',
      message: 'CUDA out of memory',
    });
    expect(parseTrainerEvent('{"event":"checkpoint","step":3}')).toEqual({ kind: 'other', event: 'checkpoint' });
    expect(parseTrainerEvent('not json')).toEqual({ kind: 'other', event: null });
  });
});
