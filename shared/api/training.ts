/** The Training area's part of the contract: trainer hosts, runs, their metrics and logs. */
import { z } from 'zod';
import { command, NoInput, stream } from '../contract-spec.js';
import {
  HostKeyStatusSchema,
  HostProbeSchema,
  RunKindSchema,
  RunMetricsEventSchema,
  RunMetricsSchema,
  TRAINING_LOG_LINES,
  TrainingRunSchema,
} from '../domain/training.js';

const HostId = z.object({ hostId: z.string().min(1).max(64) }).strict();
const RunId = z.object({ id: z.string().min(1).max(64) }).strict();

export const trainingCommands = {
  'training.testHost': command({
    request: HostId,
    response: HostProbeSchema,
    summary: 'Test connection: ssh, Python, PyTorch, CUDA, GPU (nvidia-smi) and free disk on the host, in one go.',
  }),
  'training.hostKey': command({
    request: HostId,
    response: HostKeyStatusSchema,
    summary: "The host's key against the console's known_hosts: trusted, new (to approve) or changed (refused).",
  }),
  'training.trustHostKey': command({
    request: HostId.extend({ fingerprint: z.string().min(1).max(200) }).strict(),
    response: HostKeyStatusSchema,
    summary:
      'Trust the key the operator approved; refused unless the host still presents that fingerprint, and never over a changed key.',
  }),
  'training.forgetHostKey': command({
    request: HostId,
    response: HostKeyStatusSchema,
    summary: "Forget a host's trusted key (after the operator confirmed the box was reinstalled).",
  }),
  'training.runs': command({
    request: NoInput,
    response: z.array(TrainingRunSchema),
    summary: 'Every run, newest first.',
  }),
  'training.start': command({
    request: z
      .object({
        kind: RunKindSchema.default('train'),
        /** Default: the settings' default host, else the first. */
        hostId: z.string().min(1).max(64).optional(),
        epochs: z.number().int().min(1).max(1000).optional(),
        maxSteps: z.number().int().min(1).max(10_000_000).optional(),
        device: z.enum(['auto', 'cpu', 'cuda']).optional(),
        /** Images a synthetic job generates. */
        count: z.number().int().min(1).max(1_000_000).optional(),
      })
      .strict(),
    response: TrainingRunSchema,
    summary: 'Queue a run and start it: export, sync, train detached on the box, stream metrics, pull the model.',
  }),
  'training.cancel': command({
    request: RunId,
    response: TrainingRunSchema,
    summary: 'Stop a run on the box (SIGTERM; the trainer checkpoints) and mark it cancelled.',
  }),
  'training.metrics': command({
    request: RunId,
    response: RunMetricsSchema,
    summary: "A run's metrics so far.",
  }),
  'training.log': command({
    request: RunId.extend({ lines: z.number().int().min(1).max(TRAINING_LOG_LINES).default(500) }).strict(),
    response: z.object({ lines: z.array(z.string()) }),
    summary: "The last lines of a run's log (the trainer's stderr and the console's own steps).",
  }),
} as const;

export const trainingStreams = {
  'training.runs': stream({
    params: NoInput,
    event: z.array(TrainingRunSchema),
    summary: 'Every run now, then the whole list again on each change (at most a few times a second).',
  }),
  'training.metrics': stream({
    params: RunId,
    event: RunMetricsEventSchema,
    summary: "A run's metrics so far (reset), then each new batch of points as the box reports them.",
  }),
} as const;
