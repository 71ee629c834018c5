import { z } from 'zod';
import { TrainerHostSchema } from './trainer-host.js';
import { AlertSettingsSchema, DEFAULT_ALERT_SETTINGS } from './alerts.js';
import { HfRepoIdSchema } from './publish.js';
import { DEFAULT_ECONOMICS, EconomicsSettingsSchema } from './earnings.js';

/** Which chain the console reads and serves on. `local` is the embedded rehearsal subnet. */
export const NetworkSchema = z.enum(['local', 'finney', 'test', 'custom']);
export type Network = z.infer<typeof NetworkSchema>;

/** The netuid each public network runs StreetVision on. */
export const DEFAULT_NETUID: Record<Network, number> = {
  local: 72,
  finney: 72,
  test: 323,
  custom: 72,
};

const walletNamePattern = /^[A-Za-z0-9_.-]+$/;
const WalletNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(walletNamePattern, 'may hold only letters, digits, "_", "-" and "."')
  .refine((name) => name !== '.' && name !== '..', 'must not be "." or ".."');

const WsUrlSchema = z.string().regex(/^wss?:\/\/[^\s/]+(\/\S*)?$/, 'must be a ws:// or wss:// URL');

const Ipv4Schema = z
  .string()
  .regex(
    /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/,
    'must be an IPv4 address such as 203.0.113.7',
  );

const ChainSection = z.object({
  network: NetworkSchema,
  /** Only read when `network` is `custom`. */
  endpoint: WsUrlSchema.nullable(),
  netuid: z.number().int().min(0).max(65535),
});

const WalletSection = z.object({
  name: WalletNameSchema,
  hotkey: WalletNameSchema,
  /** btcli's wallets folder; `~` expands to the operator's home. */
  path: z.string().min(1, 'must not be empty').max(4096),
});

const AxonSection = z.object({
  port: z.number().int().min(1).max(65535),
  /** The public IPv4 the axon is advertised at; null leaves what the chain advertises as it is. */
  externalIp: Ipv4Schema.nullable(),
  /** Refuse callers without a validator permit (the reference miner's default). */
  requireValidatorPermit: z.boolean(),
  /** Refuse callers with less stake than this, in TAO. */
  minStake: z.number().min(0).max(1e9),
});

export const ExecutionProviderSchema = z.enum(['cuda', 'cpu']);

/**
 * The answer to an image that cannot be decoded, fails to classify, or is not judged before the
 * request's deadline. `abstain` answers -1: that challenge earns nothing, and the validator drops
 * it from its windows. `prior` answers 0.5, which scores as "no roadwork" and, when wrong, stays
 * in the accuracy window for 10 answers and the MCC window for 100 (costlier for a strong miner).
 */
export const CannotJudgePolicySchema = z.enum(['abstain', 'prior']);
export type CannotJudgePolicy = z.infer<typeof CannotJudgePolicySchema>;

const InferenceSection = z.object({
  /** Tried in order; the miner's status shows which one loaded. */
  providers: z
    .array(ExecutionProviderSchema)
    .min(1, 'name at least one execution provider')
    .refine((list) => new Set(list).size === list.length, 'name each execution provider once'),
  /** The model folder to serve; null serves the default model shipped with the console. */
  modelDir: z.string().min(1).max(4096).nullable(),
  /** What to answer for an image the model cannot judge (see `CannotJudgePolicySchema`). */
  cannotJudge: CannotJudgePolicySchema,
});

const CascadeSection = z.object({
  /** Ask the second stage when the first is unsure. */
  enabled: z.boolean(),
  /** An OpenAI-compatible API base, e.g. vLLM's `http://127.0.0.1:8000/v1`. */
  url: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'must be an http:// or https:// URL')
    .nullable(),
  model: z.string().min(1).max(200),
  /** The first stage is unsure when |p − 0.5| is below this. */
  band: z.number().min(0).max(0.5),
  /** How much the second stage's answer counts in the combined prediction. */
  weight: z.number().min(0).max(1),
  /** The command that serves the API (`vllm serve …`), when the console should run it. */
  serveCommand: z.string().trim().min(1).max(4000).nullable(),
});

const ClockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day such as 23:00');

const TrainingSection = z.object({
  /** The GPU boxes the console trains on. */
  hosts: z
    .array(TrainerHostSchema)
    .max(32)
    .refine((hosts) => new Set(hosts.map((host) => host.id)).size === hosts.length, 'give each host its own id'),
  /** The host runs go to unless one is named; null: the first host. */
  defaultHostId: z.string().min(1).max(64).nullable(),
  epochs: z.number().int().min(1).max(1000),
  batchSize: z.number().int().min(1).max(4096),
  /** `small-cnn`, or `hf:<repo or folder on the box>` to fine-tune a Hugging Face classifier. */
  base: z.string().trim().min(1).max(500),
  /** Share of generated scenes mixed into each exported dataset (the plan's 70 % real / 30 % synthetic). */
  syntheticShare: z.number().min(0).max(0.9),
});

const ScheduleSection = z.object({
  /** Start a run by itself in the nightly window when enough new labels exist. */
  enabled: z.boolean(),
  /** Local time; a window may run past midnight (23:00–01:00). */
  start: ClockTimeSchema,
  end: ClockTimeSchema,
  /** Labels added since the last run's export that make a new run worth it. */
  minNewLabels: z.number().int().min(1).max(1_000_000),
});

const DeploySection = z.object({
  /**
   * The gate a candidate passes before it may replace the live model: its MCC on the fixed
   * held-out set may be at most this much below the live model's (0: no worse).
   */
  maxMccDrop: z.number().min(0).max(2),
  /** Also require the rehearsal (local validators' scoring) to be no worse. */
  requireRehearsal: z.boolean(),
});

const HttpUrlSchema = z.string().regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, 'must be an http:// or https:// URL');

const PublishSection = z.object({
  /** The Hugging Face Hub (a loopback stand-in in tests). */
  hfEndpoint: HttpUrlSchema,
  /** The repo models are published to, remembered from the last publication. */
  hfRepo: HfRepoIdSchema.nullable(),
  /** The NATIX application server registrations go to. */
  natixServer: HttpUrlSchema,
});

const MiningSection = z.object({
  /**
   * After the console or the rig restarts (a crash, a reboot, a shutdown), serve again by itself
   * if the miner was serving on the network these settings name and the operator had not stopped it.
   */
  resumeOnStart: z.boolean(),
});

const UiSection = z.object({
  theme: z.enum(['system', 'dark', 'light']),
});

export const SettingsSchema = z
  .object({
    chain: ChainSection,
    wallet: WalletSection,
    axon: AxonSection,
    inference: InferenceSection,
    cascade: CascadeSection,
    training: TrainingSection,
    schedule: ScheduleSection,
    deploy: DeploySection,
    alerts: AlertSettingsSchema,
    publish: PublishSection,
    ui: UiSection,
    economics: EconomicsSettingsSchema,
    mining: MiningSection,
  })
  .superRefine((settings, ctx) => {
    if (settings.cascade.enabled && settings.cascade.url === null) {
      ctx.addIssue({ code: 'custom', path: ['cascade', 'url'], message: 'the second stage needs the URL of its API' });
    }
    if (settings.chain.network === 'custom' && settings.chain.endpoint === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['chain', 'endpoint'],
        message: 'a custom network needs an endpoint such as ws://127.0.0.1:9944',
      });
    }
    const { hosts, defaultHostId } = settings.training;
    if (defaultHostId !== null && !hosts.some((host) => host.id === defaultHostId)) {
      ctx.addIssue({ code: 'custom', path: ['training', 'defaultHostId'], message: 'names no trainer host' });
    }
  });
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  chain: { network: 'local', endpoint: null, netuid: DEFAULT_NETUID.local },
  wallet: { name: 'default', hotkey: 'default', path: '~/.bittensor/wallets' },
  axon: { port: 8091, externalIp: null, requireValidatorPermit: true, minStake: 0 },
  inference: { providers: ['cuda', 'cpu'], modelDir: null, cannotJudge: 'abstain' },
  cascade: {
    enabled: false,
    url: null,
    model: 'Qwen/Qwen2.5-VL-7B-Instruct',
    band: 0.2,
    weight: 0.5,
    serveCommand: null,
  },
  training: { hosts: [], defaultHostId: null, epochs: 10, batchSize: 32, base: 'small-cnn', syntheticShare: 0.3 },
  schedule: { enabled: false, start: '23:00', end: '01:00', minNewLabels: 200 },
  deploy: { maxMccDrop: 0, requireRehearsal: true },
  alerts: DEFAULT_ALERT_SETTINGS,
  publish: { hfEndpoint: 'https://huggingface.co', hfRepo: null, natixServer: 'https://hydra.natix.network' },
  ui: { theme: 'system' },
  economics: DEFAULT_ECONOMICS,
  mining: { resumeOnStart: true },
};

/**
 * A change to the settings: any section, any field of it. Unknown keys are refused rather than
 * dropped, so a typo in a caller is an error and not a silent no-op.
 */
export const SettingsPatchSchema = z
  .object({
    chain: ChainSection.partial().strict(),
    wallet: WalletSection.partial().strict(),
    axon: AxonSection.partial().strict(),
    inference: InferenceSection.partial().strict(),
    cascade: CascadeSection.partial().strict(),
    training: TrainingSection.partial().strict(),
    schedule: ScheduleSection.partial().strict(),
    deploy: DeploySection.partial().strict(),
    alerts: AlertSettingsSchema.partial().strict(),
    publish: PublishSection.partial().strict(),
    ui: UiSection.partial().strict(),
    economics: EconomicsSettingsSchema.partial().strict(),
    mining: MiningSection.partial().strict(),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

/** Applies a patch section by section; the result still has to pass `SettingsSchema`. */
export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  return {
    chain: { ...current.chain, ...patch.chain },
    wallet: { ...current.wallet, ...patch.wallet },
    axon: { ...current.axon, ...patch.axon },
    inference: { ...current.inference, ...patch.inference },
    cascade: { ...current.cascade, ...patch.cascade },
    training: { ...current.training, ...patch.training },
    schedule: { ...current.schedule, ...patch.schedule },
    deploy: { ...current.deploy, ...patch.deploy },
    alerts: { ...current.alerts, ...patch.alerts },
    publish: { ...current.publish, ...patch.publish },
    ui: { ...current.ui, ...patch.ui },
    economics: { ...current.economics, ...patch.economics },
    mining: { ...current.mining, ...patch.mining },
  };
}
