import { describe, expect, it } from 'vitest';
import type { RunMetricsEvent, StepPoint, TrainingRun } from '../../shared/domain/training.js';
import { downsample } from './downsample.js';
import { formatEta, formatGpu, progressFraction } from './run-format.js';
import { applyMetricsEvent } from './run-metrics.js';
import { orderRuns } from './run-order.js';
import { MAX_POINTS_PER_LINE, runCurves } from './run-curves.js';

function run(id: string, state: TrainingRun['state'], createdAt: string): TrainingRun {
  return {
    id,
    kind: 'train',
    hostId: 'box',
    hostLabel: 'me@box:22',
    state,
    detail: '',
    reason: null,
    scheduled: false,
    params: {
      epochs: 1,
      maxSteps: null,
      batchSize: 8,
      base: 'small-cnn',
      syntheticShare: 0.3,
      count: null,
      device: 'auto',
    },
    createdAt,
    startedAt: null,
    endedAt: null,
    remoteDir: '~/sv/runs/x',
    dataset: null,
    progress: null,
    gpu: null,
    modelId: null,
    imported: null,
  };
}

function step(n: number): StepPoint {
  return { step: n, epoch: 0, loss: 1 / (n + 1), accuracy: 0.5, mcc: 0, lr: 0.001, throughput: 10, etaS: 5 };
}

const event = (steps: number[], reset: boolean): RunMetricsEvent => ({
  runId: 'r',
  steps: steps.map(step),
  epochs: [],
  reset,
});

describe('the runs list order', () => {
  it('puts runs under way on top, then queued ones, then finished ones, newest first in each', () => {
    const ordered = orderRuns([
      run('done-new', 'done', '2026-12-01T10:00:00.000Z'),
      run('queued', 'queued', '2026-12-01T09:00:00.000Z'),
      run('running-old', 'running', '2026-11-30T10:00:00.000Z'),
      run('failed-old', 'failed', '2026-11-29T10:00:00.000Z'),
      run('syncing-new', 'syncing', '2026-12-01T11:00:00.000Z'),
    ]);
    expect(ordered.map((r) => r.id)).toEqual(['syncing-new', 'running-old', 'queued', 'done-new', 'failed-old']);
  });
});

describe('a run figures as the operator reads them', () => {
  it('says the time left in minutes, hours as an estimate, and a dash without one', () => {
    expect(formatEta(250)).toBe('4m 10s');
    expect(formatEta(2 * 3600 + 5 * 60)).toBe('about 2h 5m');
    expect(formatEta(null)).toBe('—');
    expect(formatEta(0.2)).toBe('under a second');
  });

  it('knows how far a run is only when it has a total', () => {
    const progress = {
      step: 30,
      stepsTotal: 120,
      epoch: 0,
      loss: null,
      accuracy: null,
      mcc: null,
      throughput: null,
      etaS: null,
    };
    expect(progressFraction(progress)).toBe(0.25);
    expect(progressFraction({ ...progress, stepsTotal: null })).toBeNull();
    expect(progressFraction({ ...progress, step: 130 })).toBe(1);
  });

  it('names the GPU with its use, or the CPU for a run under way without one', () => {
    const gpu = { name: 'RTX 3090', utilizationPercent: 87.4, memoryUsedMiB: 10240, memoryTotalMiB: 24576 };
    expect(formatGpu(gpu, true)).toBe('RTX 3090 87 %, 10.0 / 24.0 GiB');
    expect(formatGpu(null, true)).toBe('CPU');
    expect(formatGpu(null, false)).toBe('—');
  });
});

describe('long curves drawn from few points', () => {
  it('keeps at most the limit, evenly spaced, with the first and the last point', () => {
    const points = Array.from({ length: 100_001 }, (_, i) => i);
    const kept = downsample(points, 400);
    expect(kept).toHaveLength(400);
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(100_000);
    const gaps = kept.slice(1).map((value, i) => value - kept[i]!);
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(1);
  });

  it('leaves a short curve as it is', () => {
    const points = [1, 2, 3];
    expect(downsample(points, 400)).toBe(points);
  });

  it('draws the compared run dashed on the same charts, each line downsampled', () => {
    const long = { runId: 'a', steps: Array.from({ length: 5000 }, (_, i) => step(i)), epochs: [] };
    const short = { runId: 'b', steps: [step(0), step(1)], epochs: [] };
    const curves = runCurves(long, short);
    expect(curves.loss.map((line) => [line.name, line.dashed, line.points.length])).toEqual([
      ['Loss', false, MAX_POINTS_PER_LINE],
      ['Loss (B)', true, 2],
    ]);
    expect(curves.stepScores.map((line) => line.name)).toEqual(['Accuracy', 'MCC', 'Accuracy (B)', 'MCC (B)']);
  });
});

describe('a run metrics stream in the store', () => {
  it('replaces on reset and appends deltas, dropping points it already holds', () => {
    let metrics = applyMetricsEvent(undefined, event([0, 1, 2], true));
    metrics = applyMetricsEvent(metrics, event([2, 3], false));
    expect(metrics.steps.map((point) => point.step)).toEqual([0, 1, 2, 3]);
    // A reconnect starts over with everything so far.
    metrics = applyMetricsEvent(metrics, event([0, 1], true));
    expect(metrics.steps.map((point) => point.step)).toEqual([0, 1]);
  });

  it('returns the same object when a delta brings nothing new, so nothing redraws', () => {
    const metrics = applyMetricsEvent(undefined, event([0, 1], true));
    expect(applyMetricsEvent(metrics, event([1], false))).toBe(metrics);
  });
});
