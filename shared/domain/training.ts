import { z } from 'zod';

/*
 * Training runs on a trainer host, as the Training page shows them. A run's state and its metrics
 * are durable in the console's database; the remote box keeps the authoritative metrics log
 * (RUN/metrics.jsonl), from which a reattaching console recovers what it missed.
 */

export const RunStateSchema = z.enum(['queued', 'syncing', 'running', 'done', 'failed', 'cancelled']);
export type RunState = z.infer<typeof RunStateSchema>;

/** States a run leaves only by being started again as a new run. */
export const FINISHED_RUN_STATES: readonly RunState[] = ['done', 'failed', 'cancelled'];

/** `train`: train.py on the exported hard cases. `synthetic`: generate scenes on the box and pull them in. */
export const RunKindSchema = z.enum(['train', 'synthetic']);
export type RunKind = z.infer<typeof RunKindSchema>;

export const RunParamsSchema = z.object({
  epochs: z.number().int().min(1).max(1000),
  /** Stops after this many optimiser steps (a short run, a smoke test); null: all epochs. */
  maxSteps: z.number().int().min(1).max(10_000_000).nullable(),
  batchSize: z.number().int().min(1).max(4096),
  base: z.string().min(1).max(500),
  syntheticShare: z.number().min(0).max(0.9),
  /** Images a synthetic job generates. */
  count: z.number().int().min(1).max(1_000_000).nullable(),
  /** `cpu`, `cuda` or `auto` (train.py's --device). */
  device: z.enum(['auto', 'cpu', 'cuda']),
});
export type RunParams = z.infer<typeof RunParamsSchema>;

export const RunProgressSchema = z.object({
  step: z.number().int().min(0),
  stepsTotal: z.number().int().min(0).nullable(),
  epoch: z.number().int().min(0),
  loss: z.number().nullable(),
  accuracy: z.number().nullable(),
  mcc: z.number().nullable(),
  /** Images per second. */
  throughput: z.number().min(0).nullable(),
  etaS: z.number().min(0).nullable(),
});
export type RunProgress = z.infer<typeof RunProgressSchema>;

export const RunGpuSchema = z.object({
  name: z.string(),
  utilizationPercent: z.number().min(0).max(100).nullable(),
  memoryUsedMiB: z.number().min(0).nullable(),
  memoryTotalMiB: z.number().min(0).nullable(),
});
export type RunGpu = z.infer<typeof RunGpuSchema>;

export const TrainingRunSchema = z.object({
  id: z.string().min(1).max(64),
  kind: RunKindSchema,
  hostId: z.string().min(1).max(64),
  /** `user@host:port` as it was when the run started (hosts can be edited afterwards). */
  hostLabel: z.string(),
  state: RunStateSchema,
  /** What it is doing now, in one line ("Syncing 1,204 files", "Epoch 3 of 10"). */
  detail: z.string(),
  /** Why it failed or was cancelled; null otherwise. */
  reason: z.string().nullable(),
  /** Started by the nightly schedule rather than the operator. */
  scheduled: z.boolean(),
  params: RunParamsSchema,
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  /** The run's folder on the box. */
  remoteDir: z.string(),
  dataset: z
    .object({
      hash: z.string().nullable(),
      train: z.number().int().min(0),
      val: z.number().int().min(0),
      labelled: z.number().int().min(0),
    })
    .nullable(),
  progress: RunProgressSchema.nullable(),
  gpu: RunGpuSchema.nullable(),
  /** The model it produced, once pulled into the registry. */
  modelId: z.string().nullable(),
  /** Images a synthetic job brought into the hard-case store. */
  imported: z.number().int().min(0).nullable(),
});
export type TrainingRun = z.infer<typeof TrainingRunSchema>;

/** One `step` line of train.py's metrics. */
export const StepPointSchema = z.object({
  step: z.number().int().min(0),
  epoch: z.number().int().min(0),
  loss: z.number().nullable(),
  accuracy: z.number().nullable(),
  mcc: z.number().nullable(),
  lr: z.number().nullable(),
  throughput: z.number().nullable(),
  etaS: z.number().nullable(),
});
export type StepPoint = z.infer<typeof StepPointSchema>;

/** One `epoch` line: the held-out set after each epoch. */
export const EpochPointSchema = z.object({
  epoch: z.number().int().min(0),
  step: z.number().int().min(0),
  valLoss: z.number().nullable(),
  valAccuracy: z.number().nullable(),
  valMcc: z.number().nullable(),
});
export type EpochPoint = z.infer<typeof EpochPointSchema>;

export const RunMetricsSchema = z.object({
  runId: z.string(),
  steps: z.array(StepPointSchema),
  epochs: z.array(EpochPointSchema),
});
export type RunMetrics = z.infer<typeof RunMetricsSchema>;

/** What `training.metrics` sends: everything so far first (`reset`), then what is new. */
export const RunMetricsEventSchema = RunMetricsSchema.extend({ reset: z.boolean() });
export type RunMetricsEvent = z.infer<typeof RunMetricsEventSchema>;

/** "Test connection": each thing a training job needs, checked in one ssh round trip. */
const ProbeItemSchema = z.object({
  status: z.enum(['ok', 'missing', 'error', 'skipped']),
  message: z.string(),
});

export const HostProbeSchema = z.object({
  /** Training can start: connected, Python runs and imports torch. A GPU is not required. */
  ok: z.boolean(),
  message: z.string(),
  /** Why ssh failed, when it did: 'host-key-unknown' leads to the approval of the key. */
  sshFailure: z.string().nullable(),
  ssh: ProbeItemSchema,
  python: ProbeItemSchema,
  torch: ProbeItemSchema,
  /** Whether PyTorch there can use a GPU: what decides between hours and days of training. */
  cuda: ProbeItemSchema,
  gpu: ProbeItemSchema,
  disk: ProbeItemSchema,
});
export type HostProbe = z.infer<typeof HostProbeSchema>;

/** A host's key as this machine sees it, against the console's known_hosts. */
export const HostKeyStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('trusted'), message: z.string() }),
  /** Never seen: shown to the operator, who compares the fingerprint and approves it. */
  z.object({ state: z.literal('new'), fingerprint: z.string(), message: z.string() }),
  /** Differs from the trusted one: refused; only forgetting the old key (a deliberate act) clears it. */
  z.object({ state: z.literal('changed'), expected: z.string(), presented: z.string(), message: z.string() }),
  z.object({ state: z.literal('unreachable'), message: z.string() }),
]);
export type HostKeyStatus = z.infer<typeof HostKeyStatusSchema>;

/** Images a synthetic job makes when the request names no count. */
export const DEFAULT_GENERATED_COUNT = 200;

export const TRAINING_LOG_LINES = 2000;
