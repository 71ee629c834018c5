import { z } from 'zod';

export const AxonEndpointSchema = z.object({
  ip: z.string(),
  port: z.number().int().min(0).max(65535),
});

/** One uid of the subnet, as the chain reports it. Fractions are in [0, 1]; amounts in TAO or α. */
export const NeuronSchema = z.object({
  uid: z.number().int().min(0),
  hotkey: z.string(),
  coldkey: z.string(),
  active: z.boolean(),
  validatorPermit: z.boolean(),
  /** Total stake (α plus TAO weighted as the chain weighs it), in α. */
  stake: z.number().min(0),
  incentive: z.number().min(0).max(1),
  consensus: z.number().min(0).max(1),
  dividends: z.number().min(0).max(1),
  /** Zero since the chain stopped computing them (April 2026); kept for older nodes. */
  trust: z.number().min(0).max(1),
  rank: z.number().min(0).max(1),
  /** α emitted to this uid in the last tempo. */
  emission: z.number().min(0),
  lastUpdate: z.number().int().min(0),
  registeredAt: z.number().int().min(0),
  /** Null while the uid has never served an axon. */
  axon: AxonEndpointSchema.nullable(),
});
export type Neuron = z.infer<typeof NeuronSchema>;

/** The per-uid fields the console can do without: a chain that sends one empty gives zeros for it. */
export const OPTIONAL_NEURON_FIELDS = [
  'coldkey',
  'active',
  'consensus',
  'dividends',
  'trust',
  'rank',
  'lastUpdate',
] as const;
export type OptionalNeuronField = (typeof OPTIONAL_NEURON_FIELDS)[number];

/**
 * The subnet's consensus settings, as `get_metagraph` gives them; each null where the source has
 * none (an older runtime, or a rule the local subnet does not apply).
 */
export const SubnetParamsSchema = z.object({
  /** The share of validator stake whose weights consensus follows (a u16 fraction on chain). */
  kappa: z.number().min(0).max(1).nullable(),
  /** Whether validators commit their weights first and reveal them later. */
  commitRevealEnabled: z.boolean().nullable(),
  /** How many tempos a committed weight stays hidden before it is revealed. */
  commitRevealPeriod: z.number().int().min(0).nullable(),
  /** The largest share of its weight one validator may give one uid. */
  maxWeightsLimit: z.number().min(0).max(1).nullable(),
  /** Blocks without setting weights after which a validator counts as inactive. */
  activityCutoff: z.number().int().min(0).nullable(),
});
export type SubnetParams = z.infer<typeof SubnetParamsSchema>;

export const MetagraphSchema = z.object({
  netuid: z.number().int().min(0),
  /** The block the metagraph was read at. */
  block: z.number().int().min(0),
  tempo: z.number().int().min(0),
  immunityPeriod: z.number().int().min(0),
  /** What registering a uid costs now, in TAO. */
  burn: z.number().min(0),
  maxUids: z.number().int().min(0),
  /** TAO per α in the subnet's pool now; null where there is no pool (the local subnet). */
  alphaPrice: z.number().min(0).nullable(),
  params: SubnetParamsSchema,
  neurons: z.array(NeuronSchema),
  /** Per-uid fields the chain sent empty (trust and rank since spec 401): their zeros are not readings. */
  deprecatedEmpty: z.array(z.enum(OPTIONAL_NEURON_FIELDS)),
});
export type Metagraph = z.infer<typeof MetagraphSchema>;

/**
 * What the rank the console shows means, in the operator's words: the chain stopped computing a
 * rank of its own, so this is the position taostats shows.
 */
export const RANK_MEANING =
  'Position by incentive among miners (uids without a validator permit), 1 = best, as taostats shows it.';

export const DeregistrationRiskSchema = z.enum(['immune', 'safe', 'at-risk']);

/** Where the operator's uid stands: what the Overview's rank card and the Metagraph page show. */
export const StandingSchema = z.object({
  uid: z.number().int().min(0),
  /** Position by incentive among miners (uids without a validator permit): 1 is the best. */
  rank: z.number().int().min(1),
  miners: z.number().int().min(1),
  /** Share of miners at or below us, 0–100. */
  percentile: z.number().min(0).max(100),
  incentive: z.number().min(0).max(1),
  trust: z.number().min(0).max(1),
  emissionPerDayAlpha: z.number().min(0),
  /** Null where the chain gives no pool price. */
  emissionPerDayTao: z.number().min(0).nullable(),
  blocksSinceUpdate: z.number().int().min(0),
  immunityBlocksLeft: z.number().int().min(0),
  deregistration: DeregistrationRiskSchema,
  /** Non-immune miners that would be pruned before us (0: we are next). */
  prunedBeforeUs: z.number().int().min(0),
});
export type Standing = z.infer<typeof StandingSchema>;

export const StandingAlertSchema = z.object({
  kind: z.enum(['rank-drop', 'immunity-ended-low', 'axon-mismatch']),
  message: z.string(),
  time: z.string(),
  block: z.number().int().min(0),
});
export type StandingAlert = z.infer<typeof StandingAlertSchema>;

export const MetagraphSourceSchema = z.enum(['local', 'chain', 'none']);

/** The metagraph as the console shows it: where it came from, and where we stand in it. */
export const MetagraphViewSchema = z.object({
  source: MetagraphSourceSchema,
  /** Whether it is still being refreshed (false once mining stopped: the last one read). */
  live: z.boolean(),
  ourHotkey: z.string().nullable(),
  metagraph: MetagraphSchema.nullable(),
  standing: StandingSchema.nullable(),
  /** When it was last read or computed. */
  updatedAt: z.string().nullable(),
  /** The latest alerts about our standing, newest last. */
  alerts: z.array(StandingAlertSchema).max(50),
});
export type MetagraphView = z.infer<typeof MetagraphViewSchema>;

export const EMPTY_METAGRAPH_VIEW: MetagraphView = {
  source: 'none',
  live: false,
  ourHotkey: null,
  metagraph: null,
  standing: null,
  updatedAt: null,
  alerts: [],
};

/** One point of our history: kept once per tempo. */
export const StandingPointSchema = z.object({
  time: z.string(),
  source: MetagraphSourceSchema.exclude(['none']),
  netuid: z.number().int().min(0),
  block: z.number().int().min(0),
  uid: z.number().int().min(0),
  rank: z.number().int().min(1),
  miners: z.number().int().min(1),
  incentive: z.number().min(0).max(1),
  emissionPerDayAlpha: z.number().min(0),
});
export type StandingPoint = z.infer<typeof StandingPointSchema>;
