import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/domain/settings.js';
import type { TrainingRun } from '../../shared/domain/training.js';
import { nightlyDecision } from './nightly-training.js';

const HOST = {
  id: 'box',
  name: 'box',
  host: '10.0.0.2',
  port: 22,
  user: 'me',
  keyFile: null,
  workDir: '~/sv',
  python: 'python3',
};
const SETTINGS: Settings = {
  ...DEFAULT_SETTINGS,
  training: { ...DEFAULT_SETTINGS.training, hosts: [HOST] },
  schedule: { ...DEFAULT_SETTINGS.schedule, enabled: true, minNewLabels: 100 },
};

function run(id: string, state: TrainingRun['state'], labelled: number | null): TrainingRun {
  return {
    id,
    kind: 'train',
    hostId: 'box',
    hostLabel: 'me@10.0.0.2:22',
    state,
    detail: '',
    reason: null,
    scheduled: true,
    params: {
      epochs: 1,
      maxSteps: null,
      batchSize: 32,
      base: 'small-cnn',
      syntheticShare: 0,
      count: null,
      device: 'auto',
    },
    createdAt: '2026-01-01T00:00:00.000Z',
    startedAt: null,
    endedAt: null,
    remoteDir: '~/sv/runs/x',
    dataset: labelled === null ? null : { hash: 'h', train: labelled, val: 0, labelled },
    progress: null,
    gpu: null,
    modelId: null,
    imported: null,
  };
}

const counts = (labelled: number) => ({
  roadwork: labelled / 2,
  none: labelled / 2,
  skip: 7,
  unlabelled: 50,
  total: labelled + 57,
});

describe('the nightly decision', () => {
  it('starts when enough labels came in since the last exported run', () => {
    // Newest first, as training.runs lists them: a failed run that never exported does not count.
    const runs = [run('b', 'failed', null), run('a', 'done', 300)];
    expect(nightlyDecision(runs, counts(380), SETTINGS)).toEqual({
      start: false,
      reason: '80 new labels since run a; 100 wanted',
    });
    expect(nightlyDecision(runs, counts(400), SETTINGS)).toEqual({ start: true, reason: '100 new labels since run a' });
    expect(nightlyDecision([], counts(100), SETTINGS)).toEqual({
      start: true,
      reason: '100 new labels and no run yet',
    });
  });

  it('never starts beside an active run, or with no trainer host', () => {
    expect(nightlyDecision([run('c', 'running', 10)], counts(1000), SETTINGS)).toEqual({
      start: false,
      reason: 'run c is still running',
    });
    const noHost = { ...SETTINGS, training: { ...SETTINGS.training, hosts: [] } };
    expect(nightlyDecision([], counts(1000), noHost).start).toBe(false);
  });
});
