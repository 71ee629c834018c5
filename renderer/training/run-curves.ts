import type { EpochPoint, RunMetrics, StepPoint } from '../../shared/domain/training.js';
import { downsample } from './downsample.js';

/** Points per line: plenty at a card's width, few enough to redraw on every batch. */
export const MAX_POINTS_PER_LINE = 400;

const COLOURS = { loss: 'var(--accent)', accuracy: 'var(--accent-2)', mcc: 'var(--ok)' } as const;

export interface CurveSeries {
  /** Unique within the chart (recharts tells lines apart by it). */
  id: string;
  name: string;
  points: readonly object[];
  dataKey: string;
  colour: string;
  /** The compared run: drawn dashed on the same axes. */
  dashed: boolean;
  /** Few points (one per epoch): show each. */
  dots: boolean;
}

interface Curve {
  key: keyof StepPoint | keyof EpochPoint;
  name: string;
  colour: string;
}

export interface RunCurveSet {
  loss: CurveSeries[];
  stepScores: CurveSeries[];
  epochScores: CurveSeries[];
}

/**
 * The lines of each chart for the shown run and, dashed, the compared one ("(B)" in the legend),
 * each downsampled on its own.
 */
export function runCurves(main: RunMetrics | undefined, compared: RunMetrics | undefined): RunCurveSet {
  const runs = [
    { metrics: main, suffix: '', dashed: false },
    { metrics: compared, suffix: ' (B)', dashed: true },
  ].filter((run): run is { metrics: RunMetrics; suffix: string; dashed: boolean } => run.metrics !== undefined);

  const lines = (curves: Curve[], pick: (metrics: RunMetrics) => readonly object[], dots: boolean): CurveSeries[] =>
    runs.flatMap(({ metrics, suffix, dashed }) => {
      const points = downsample(pick(metrics), MAX_POINTS_PER_LINE);
      return curves.map((curve) => ({
        id: `${metrics.runId}-${curve.key}`,
        name: `${curve.name}${suffix}`,
        points,
        dataKey: curve.key,
        colour: curve.colour,
        dashed,
        // A line of one point draws nothing: show it as a dot until the second arrives.
        dots: dots || points.length === 1,
      }));
    });

  return {
    loss: lines([{ key: 'loss', name: 'Loss', colour: COLOURS.loss }], (m) => m.steps, false),
    stepScores: lines(
      [
        { key: 'accuracy', name: 'Accuracy', colour: COLOURS.accuracy },
        { key: 'mcc', name: 'MCC', colour: COLOURS.mcc },
      ],
      (m) => m.steps,
      false,
    ),
    epochScores: lines(
      [
        { key: 'valAccuracy', name: 'Held-out accuracy', colour: COLOURS.accuracy },
        { key: 'valMcc', name: 'Held-out MCC', colour: COLOURS.mcc },
      ],
      (m) => m.epochs,
      true,
    ),
  };
}
