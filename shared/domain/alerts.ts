/**
 * Alerts worth waking up for: what the console raises when the miner, its axon, its standing on
 * the subnet, the live model's age or a training run needs the operator. A condition that holds
 * raises one alert; it is resolved when the condition ends, and the operator acknowledges it.
 * An alert about something already over (the miner was down and is back) is resolved by the
 * operator's acknowledgement instead, so it is seen.
 */
import { z } from 'zod';

export const AlertKindSchema = z.enum([
  'miner-stopped',
  'miner-error',
  /** The console or the rig went down while mining and the miner served again: it stays until acknowledged. */
  'miner-downtime',
  'axon-unreachable',
  'axon-unchecked',
  'axon-mismatch',
  'rank-drop',
  'deregistration-risk',
  'model-age',
  'training-failed',
]);
export type AlertKind = z.infer<typeof AlertKindSchema>;

export const AlertSeveritySchema = z.enum(['info', 'warning', 'critical']);
export type AlertSeverity = z.infer<typeof AlertSeveritySchema>;

const IsoTime = z.iso.datetime({ offset: true });

export const AlertSchema = z.object({
  id: z.string().min(1).max(64),
  kind: AlertKindSchema,
  severity: AlertSeveritySchema,
  message: z.string(),
  /** When the condition started to hold. */
  raisedAt: IsoTime,
  /** Active while the condition holds; resolved once it ended. */
  state: z.enum(['active', 'resolved']),
  resolvedAt: IsoTime.nullable(),
  acknowledgedAt: IsoTime.nullable(),
  /** When a desktop notification went out for it; null when none did (info, disabled, rate-limited). */
  notifiedAt: IsoTime.nullable(),
});
export type Alert = z.infer<typeof AlertSchema>;

/** Which kinds of alert the console raises: one switch per thing that can go wrong. */
export const AlertSettingsSchema = z.object({
  /** The miner stopped serving without being told to, or failed to start. */
  minerDown: z.boolean(),
  /** The axon cannot be reached at its public address, or the chain advertises another one. */
  axon: z.boolean(),
  rankDrop: z.boolean(),
  deregistrationRisk: z.boolean(),
  /** The live model at day 60, 75 and 90 of its publication. */
  modelAge: z.boolean(),
  trainingFailed: z.boolean(),
  /** Desktop notifications for warnings and critical alerts (the in-app list always shows them). */
  notify: z.boolean(),
});
export type AlertSettings = z.infer<typeof AlertSettingsSchema>;

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  minerDown: true,
  axon: true,
  rankDrop: true,
  deregistrationRisk: true,
  modelAge: true,
  trainingFailed: true,
  notify: true,
};

/** The switch in the settings that turns each kind on or off. */
export const ALERT_SWITCH: Record<AlertKind, Exclude<keyof AlertSettings, 'notify'>> = {
  'miner-stopped': 'minerDown',
  'miner-error': 'minerDown',
  'miner-downtime': 'minerDown',
  'axon-unreachable': 'axon',
  'axon-unchecked': 'axon',
  'axon-mismatch': 'axon',
  'rank-drop': 'rankDrop',
  'deregistration-risk': 'deregistrationRisk',
  'model-age': 'modelAge',
  'training-failed': 'trainingFailed',
};

export const ALERT_TITLES: Record<AlertKind, string> = {
  'miner-stopped': 'Miner stopped',
  'miner-error': 'Miner error',
  'miner-downtime': 'Miner was down',
  'axon-unreachable': 'Axon unreachable',
  'axon-unchecked': 'Axon not checked',
  'axon-mismatch': 'Axon advertised elsewhere',
  'rank-drop': 'Rank dropped',
  'deregistration-risk': 'Deregistration risk',
  'model-age': 'Model ageing',
  'training-failed': 'Training failed',
};
