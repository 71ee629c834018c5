/**
 * train.py's JSON lines (resources/trainer/README.md), read as the console uses them: step and
 * epoch points for the curves, `start` for the step count, `error` for a failure's reason. A line
 * that is not one of them is kept as `other` (it still counts as a line of metrics.jsonl).
 */
import { z } from 'zod';
import {
  EpochPointSchema,
  StepPointSchema,
  type EpochPoint,
  type RunProgress,
  type StepPoint,
} from '../../shared/domain/training.js';

/** The contract's points are train.py's lines less their `event`. */
const StepLine = StepPointSchema.extend({ event: z.literal('step') });
const EpochLine = EpochPointSchema.extend({ event: z.literal('epoch') });

const StartLine = z.object({
  event: z.literal('start'),
  stepsTotal: z.number().int().min(0),
  device: z.string().catch('?'),
  resumedFromStep: z.number().int().nullable().catch(null),
});

const ErrorLine = z.object({ event: z.literal('error'), message: z.string() });

/** generate.py's progress: images written of those asked for. */
const GeneratedLine = z.object({
  event: z.literal('progress'),
  done: z.number().int().min(0),
  total: z.number().int().min(0),
});

export type TrainerEvent =
  | { kind: 'step'; point: StepPoint }
  | { kind: 'epoch'; point: EpochPoint }
  | { kind: 'start'; stepsTotal: number; device: string; resumedFromStep: number | null }
  | { kind: 'error'; message: string }
  | { kind: 'generated'; done: number; total: number }
  | { kind: 'other'; event: string | null };

export function parseTrainerEvent(line: string): TrainerEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { kind: 'other', event: null };
  }
  const step = StepLine.safeParse(value);
  if (step.success) {
    const { event: _event, ...point } = step.data;
    return { kind: 'step', point };
  }
  const epoch = EpochLine.safeParse(value);
  if (epoch.success) {
    const { event: _event, ...point } = epoch.data;
    return { kind: 'epoch', point };
  }
  const start = StartLine.safeParse(value);
  if (start.success) return { kind: 'start', ...start.data };
  const error = ErrorLine.safeParse(value);
  if (error.success) return { kind: 'error', message: error.data.message };
  const generated = GeneratedLine.safeParse(value);
  if (generated.success) return { kind: 'generated', done: generated.data.done, total: generated.data.total };
  const event = (value as { event?: unknown } | null)?.event;
  return { kind: 'other', event: typeof event === 'string' ? event : null };
}

/** The run's progress after a point: the curves' latest values and the step count `start` gave. */
export function advanceProgress(
  progress: RunProgress | null,
  event: TrainerEvent,
  stepsTotal: number | null,
): RunProgress | null {
  const base: RunProgress = progress ?? {
    step: 0,
    stepsTotal,
    epoch: 0,
    loss: null,
    accuracy: null,
    mcc: null,
    throughput: null,
    etaS: null,
  };
  if (event.kind === 'start') return { ...base, stepsTotal: event.stepsTotal };
  if (event.kind === 'generated') return { ...base, step: event.done, stepsTotal: event.total };
  if (event.kind === 'step') {
    const { step, epoch, loss, accuracy, mcc, throughput, etaS } = event.point;
    return {
      ...base,
      step,
      epoch,
      loss,
      accuracy,
      mcc,
      throughput: throughput === null ? null : Math.max(0, throughput),
      etaS: etaS === null ? null : Math.max(0, etaS),
    };
  }
  if (event.kind === 'epoch') return { ...base, step: Math.max(base.step, event.point.step), epoch: event.point.epoch };
  return progress;
}
