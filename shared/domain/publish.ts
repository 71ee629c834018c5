/**
 * Publishing a model as the subnet asks: the `model_card.json` on Hugging Face, the upload's
 * progress, the operator's Hub token (only whether it is set ever leaves the back end), and the
 * registration with the NATIX application server.
 */
import { z } from 'zod';

/** `owner/name` on the Hub. */
export const HfRepoIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}\/[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$/,
    'must be a Hugging Face repo such as your-name/roadwork-miner',
  );

export const HfTokenSchema = z
  .string()
  .trim()
  .regex(/^hf_[A-Za-z0-9_-]{8,200}$/, 'must be a Hugging Face access token (hf_…)');

const Ss58Schema = z.string().regex(/^[1-9A-HJ-NP-Za-km-z]{46,48}$/, 'must be an SS58 address');

/** The file the subnet reads from a miner's Hugging Face repo (its validators once did). */
export const ModelCardSchema = z
  .object({
    model_name: z.string().min(1).max(200),
    description: z.string().min(1).max(2000),
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be X.Y.Z'),
    /** Our hotkey's SS58 address. */
    submitted_by: Ss58Schema,
    /** Unix seconds. */
    submission_time: z.number().int().min(1_600_000_000),
  })
  .strict();
export type ModelCard = z.infer<typeof ModelCardSchema>;

export const PublishFileSchema = z.object({
  path: z.string(),
  size: z.number().int().min(0),
});

export const ModelCardPreviewSchema = z.object({
  card: ModelCardSchema,
  /** The README.md model card, YAML front matter included. */
  readme: z.string(),
  files: z.array(PublishFileSchema),
  /** The local subnet's hotkey signs: a rehearsal, not a submission. */
  rehearsal: z.boolean(),
});
export type ModelCardPreview = z.infer<typeof ModelCardPreviewSchema>;

export const TokenStatusSchema = z.object({
  set: z.boolean(),
  /** whoami's user name, when the Hub answered. */
  user: z.string().nullable(),
  /** Why the user is unknown (the Hub unreachable, the token refused). */
  note: z.string().nullable(),
  /** Where it is kept: the OS keychain (Electron's safeStorage) or a 0600 file. */
  storage: z.enum(['keychain', 'file']),
});
export type TokenStatus = z.infer<typeof TokenStatusSchema>;

export const PublishStateSchema = z.enum(['idle', 'uploading', 'done', 'failed']);

export const PublishProgressSchema = z.object({
  state: PublishStateSchema,
  modelId: z.string().nullable(),
  repo: z.string().nullable(),
  /** What it is doing now, in words. */
  step: z.string(),
  sentBytes: z.number().int().min(0),
  totalBytes: z.number().int().min(0),
  /** Bytes the Hub already held from an earlier attempt (not sent again). */
  resumedBytes: z.number().int().min(0),
  /** The repo's page once published. */
  url: z.string().nullable(),
  /** The failure, when it failed (never the token). */
  error: z.string().nullable(),
});
export type PublishProgress = z.infer<typeof PublishProgressSchema>;

export const IDLE_PUBLISH: PublishProgress = {
  state: 'idle',
  modelId: null,
  repo: null,
  step: 'Nothing published in this session.',
  sentBytes: 0,
  totalBytes: 0,
  resumedBytes: 0,
  url: null,
  error: null,
};

/** The NATIX server's statuses, plus ours: not yet asked, signed but not sent, gave up waiting. */
export const RegistrationStateSchema = z.enum([
  'idle',
  'not-sent',
  'pending',
  'queued',
  'processing',
  'succeeded',
  'failed',
  'timed-out',
]);
export type RegistrationState = z.infer<typeof RegistrationStateSchema>;

export const RegistrationStatusSchema = z.object({
  state: RegistrationStateSchema,
  uid: z.number().int().min(0).nullable(),
  hotkey: z.string().nullable(),
  modelRepo: z.string().nullable(),
  server: z.string().nullable(),
  /** Signed with the local subnet's hotkey. */
  rehearsal: z.boolean(),
  /** What happened, for the operator; the server's error_message included when it gave one. */
  message: z.string(),
});
export type RegistrationStatus = z.infer<typeof RegistrationStatusSchema>;

export const IDLE_REGISTRATION: RegistrationStatus = {
  state: 'idle',
  uid: null,
  hotkey: null,
  modelRepo: null,
  server: null,
  rehearsal: false,
  message: 'Not registered in this session.',
};
