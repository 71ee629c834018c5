/**
 * The model registry as the console shows it: every model the miner has served or could serve,
 * its evaluations against the live model, the deploy gate's verdict, its deployments, and how
 * much of the subnet's announced reward window its publication has left.
 */
import { z } from 'zod';

const IsoTime = z.iso.datetime({ offset: true });
const Fraction = z.number().min(0).max(1);

export const ModelIdSchema = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be a model id such as default-1.0.0');

/** Where a model came from: shipped with the console, trained by a run, or a folder brought in. */
export const ModelOriginSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('shipped') }),
  z.object({ kind: z.literal('trained'), runId: z.string().min(1), hostId: z.string().min(1) }),
  z.object({ kind: z.literal('imported'), dir: z.string().min(1) }),
]);
export type ModelOrigin = z.infer<typeof ModelOriginSchema>;

/** A model scored on the fixed held-out set (the eval the `npm run eval` command prints). */
export const HeldOutScoresSchema = z.object({
  images: z.number().int().min(0),
  accuracy: Fraction,
  mcc: z.number().min(-1).max(1),
  auc: Fraction.nullable(),
  /** Expected validator reward per challenge at this accuracy and MCC. */
  expectedReward: Fraction,
  /** Per-image inference time. */
  latencyMs: z.object({ mean: z.number().min(0), p50: z.number().min(0), p95: z.number().min(0) }),
});
export type HeldOutScores = z.infer<typeof HeldOutScoresSchema>;

/** A model served on a fresh local subnet and judged by its validators. */
export const RehearsalScoresSchema = z.object({
  rank: z.number().int().min(1),
  miners: z.number().int().min(1),
  incentive: z.number().min(0),
  meanReward: Fraction,
  mcc: z.number().min(-1).max(1),
  accuracy: Fraction,
  answers: z.number().int().min(0),
  failures: z.number().int().min(0),
  /**
   * Said when the rehearsal's images were generated scenes only ("judged on generated scenes only:
   * not comparable with mainnet"); null when real photos were among them. Absent from older evaluations.
   */
  imagesNote: z.string().nullable().optional(),
});
export type RehearsalScores = z.infer<typeof RehearsalScoresSchema>;

export const GateVerdictSchema = z.object({
  passed: z.boolean(),
  /** Each reason the gate refuses, with its numbers; empty when it passes. */
  reasons: z.array(z.string()),
  /** One sentence for the operator. */
  summary: z.string(),
});
export type GateVerdict = z.infer<typeof GateVerdictSchema>;

export const ModelEvaluationSchema = z.object({
  at: IsoTime,
  candidateId: ModelIdSchema,
  /** The model live when it ran: the gate holds only while that one is still live. */
  liveId: ModelIdSchema,
  heldOut: z.object({
    /** The labelled hard cases' `val` split, or generated scenes when too few are labelled. */
    source: z.enum(['hardcases', 'generated']),
    images: z.number().int().min(0),
    /** Why the fallback was used, when it was. */
    note: z.string().nullable(),
  }),
  rehearsal: z.object({
    validators: z.number().int().min(1),
    challenges: z.number().int().min(1),
    peers: z.number().int().min(0),
    seed: z.number().int(),
  }),
  candidate: z.object({ heldOut: HeldOutScoresSchema, rehearsal: RehearsalScoresSchema }),
  live: z.object({ heldOut: HeldOutScoresSchema, rehearsal: RehearsalScoresSchema }),
  /** The gate judged with the deploy settings and the live model of now (not of when it ran). */
  gate: GateVerdictSchema,
});
export type ModelEvaluation = z.infer<typeof ModelEvaluationSchema>;

export const DeploymentKindSchema = z.enum(['initial', 'deploy', 'rollback', 'settings']);

export const DeploymentSchema = z.object({
  seq: z.number().int().min(1),
  modelId: ModelIdSchema,
  kind: DeploymentKindSchema,
  at: IsoTime,
  /** Hot-swapped into the serving miner; false: served from the next start. */
  servedNow: z.boolean(),
});
export type Deployment = z.infer<typeof DeploymentSchema>;

export const AgeWarningSchema = z.enum(['none', 'day60', 'day75', 'expired']);
export type AgeWarning = z.infer<typeof AgeWarningSchema>;

export const ModelAgeSchema = z.object({
  publishedAt: IsoTime,
  daysSincePublication: z.number().int().min(0),
  fullRewardDaysLeft: z.number().int().min(0),
  /** 1 for 45 days, then down in a straight line to 0 at day 90. */
  rewardFactor: Fraction,
  warning: AgeWarningSchema,
});
export type ModelAge = z.infer<typeof ModelAgeSchema>;

export const RegisteredModelSchema = z.object({
  id: ModelIdSchema,
  name: z.string(),
  version: z.string(),
  architecture: z.string(),
  /** The registry's own copy of the folder (model.json + the ONNX file). */
  dir: z.string(),
  metrics: z.object({
    valAccuracy: Fraction.nullable(),
    valMcc: z.number().min(-1).max(1).nullable(),
    valLoss: z.number().min(0).nullable(),
  }),
  dataHash: z.string(),
  parentId: ModelIdSchema.nullable(),
  origin: ModelOriginSchema,
  createdAt: IsoTime,
  registeredAt: IsoTime,
  publishedAt: IsoTime.nullable(),
  /** The Hugging Face repo the console published it to (absent or null: not published from here). */
  publishedRepo: z.string().nullable().optional(),
  age: ModelAgeSchema.nullable(),
  live: z.boolean(),
  /** The latest evaluation, with the gate as it stands now. */
  evaluation: ModelEvaluationSchema.nullable(),
  deployments: z.array(DeploymentSchema),
});
export type RegisteredModel = z.infer<typeof RegisteredModelSchema>;

export const ModelRegistryViewSchema = z.object({
  /** Newest first. */
  models: z.array(RegisteredModelSchema),
  liveId: ModelIdSchema.nullable(),
  /** What Rollback would serve. */
  rollbackToId: ModelIdSchema.nullable(),
  /** The model being evaluated now (one at a time). */
  evaluatingId: ModelIdSchema.nullable(),
});
export type ModelRegistryView = z.infer<typeof ModelRegistryViewSchema>;

export const DeployOutcomeSchema = z.object({
  modelId: ModelIdSchema,
  previousId: ModelIdSchema.nullable(),
  servedNow: z.boolean(),
  message: z.string(),
});
export type DeployOutcome = z.infer<typeof DeployOutcomeSchema>;

/** The subnet's announced plan (not enforced today): full reward 45 days after publication, none from day 90. */
export const FULL_REWARD_DAYS = 45;
export const ZERO_REWARD_DAYS = 90;
const WARNING_DAYS: readonly [AgeWarning, number][] = [
  ['expired', ZERO_REWARD_DAYS],
  ['day75', 75],
  ['day60', 60],
];
const DAY_MS = 86_400_000;

export function modelAge(publishedAt: string, now: Date): ModelAge {
  const days = Math.max(0, (now.getTime() - Date.parse(publishedAt)) / DAY_MS);
  const rewardFactor = Math.min(1, Math.max(0, (ZERO_REWARD_DAYS - days) / (ZERO_REWARD_DAYS - FULL_REWARD_DAYS)));
  return {
    publishedAt,
    daysSincePublication: Math.floor(days),
    fullRewardDaysLeft: Math.max(0, Math.ceil(FULL_REWARD_DAYS - days)),
    rewardFactor,
    warning: WARNING_DAYS.find(([, from]) => days >= from)?.[0] ?? 'none',
  };
}
