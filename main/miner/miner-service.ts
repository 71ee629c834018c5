/**
 * Owns the miner's lifecycle: the one-button start loads the hotkey, joins the network, loads
 * the model, opens the axon and serves; stop drains what is in flight. Every failure lands in
 * state `error` with a sentence saying what to do, never a crash. The network (a live chain or
 * the local subnet) and the inference service come from the factories it is given.
 */
import type { CommandHandlers, Disposable, StreamSources } from '../../shared/contract.js';
import {
  EMPTY_MINER_STATS,
  type MinerState,
  type MinerStatus,
  type MinerStopReason,
} from '../../shared/domain/miner.js';
import { applySettingsPatch, SettingsSchema, type Settings, type SettingsPatch } from '../../shared/domain/settings.js';
import { describeZodError, errorMessage } from '../../shared/errors.js';
import { Emitter } from '../base/emitter.js';
import type { InferenceService } from '../inference/inference-service.js';
import { embeddingModelName, type Embedding } from '../hardcases/embedding.js';
import { cascade } from '../inference/vlm-stage.js';
import type { LogService, Logger } from '../log/log-service.js';
import type { SettingsService } from '../settings/settings-service.js';
import {
  hotkeyFilePath,
  isExposed,
  loadHotkey,
  type Hotkey,
  type HotkeyLocation,
  WalletError,
} from '../wallet/hotkey-file.js';
import { startAxon, type Axon, type AxonRecord } from './axon-server.js';
import type { ChallengeInput, ChallengeLog } from './challenge-log.js';
import { imageSynapseHandler } from './image-synapse.js';
import { ensureLocalHotkey } from '../wallet/local-hotkey.js';
import { MinerStatsTracker } from './miner-stats.js';
import type { JoinNetwork, NetworkSession } from './network-session.js';

export interface MinerDependencies {
  settings: SettingsService;
  log: LogService;
  dataDir: string;
  /** Served when the settings name no model folder. */
  defaultModelDir: string;
  /** A new inference service (its own workers) for each run. */
  createInference: () => InferenceService;
  /** Joins the network the run's settings name: a live chain, or the local subnet. */
  joinNetwork: JoinNetwork;
  /** Where the axon listens; validators reach it from outside, so all interfaces by default. */
  axonHost?: string;
  challenges: ChallengeLog;
}

interface Running {
  axon: Axon;
  inference: InferenceService;
  hotkey: Hotkey;
  network: NetworkSession;
}

type MinerCommand = 'miner.status' | 'miner.start' | 'miner.stop';

/** A reason mining cannot start, in the operator's terms. */
class StartFailure extends Error {}

/** Status pushes are coalesced: a busy axon updates the Overview a few times a second, not per request. */
const STATUS_THROTTLE_MS = 250;

export class MinerService {
  private readonly onDidChangeEmitter = new Emitter<MinerStatus>();
  private readonly settingsListener: Disposable;
  private readonly log: Logger;
  private state: MinerState = 'stopped';
  private message = 'Stopped. Press Start mining to serve on the network in Settings.';
  private since = new Date().toISOString();
  private stoppedBy: MinerStopReason | null = null;
  private running: Running | null = null;
  /** The settings the current run started with (saved settings plus any overrides). */
  private runSettings: Settings | null = null;
  private stats = new MinerStatsTracker();
  private pending: ReturnType<typeof setTimeout> | null = null;
  private transition: Promise<MinerStatus> | null = null;
  /** A model swap in progress: a stop or another swap waits for it. */
  private swapping: Promise<unknown> = Promise.resolve();

  readonly onDidChange = this.onDidChangeEmitter.event;

  constructor(private readonly deps: MinerDependencies) {
    this.log = deps.log.forSource('miner');
    this.settingsListener = deps.settings.onDidChange(() => this.publish());
  }

  getStatus(): MinerStatus {
    return this.compose(this.running && this.runSettings ? this.runSettings : this.deps.settings.get());
  }

  stream(emit: (status: MinerStatus) => void): Disposable {
    emit(this.getStatus());
    return this.onDidChange(emit);
  }

  handlers(): CommandHandlers<MinerCommand> {
    return {
      'miner.status': () => Promise.resolve(this.getStatus()),
      'miner.start': () => this.start(),
      // The operator stops it: not an alert.
      'miner.stop': () => this.stop('operator'),
    };
  }

  streams(): StreamSources<'miner.status'> {
    return {
      'miner.status': (_params, emit) => this.stream(emit),
    };
  }

  /**
   * `overrides` apply to this run only (the `npm run mine` flags); the saved settings stay as
   * they are.
   */
  start(overrides: SettingsPatch = {}): Promise<MinerStatus> {
    if (this.state === 'serving') return Promise.resolve(this.getStatus());
    this.transition ??= this.doStart(overrides).finally(() => (this.transition = null));
    return this.transition;
  }

  /**
   * Serves the model in `dir` from now on: loaded into the running inference service beside the
   * current one and swapped in when ready (no request dropped), and saved as the settings' model
   * so a restart serves it. When the miner is stopped it is only saved, for the next start. A
   * model that cannot load changes nothing.
   */
  swapModel(dir: string): Promise<{ servedNow: boolean }> {
    const swap = this.doSwapModel(dir);
    this.swapping = swap.catch(() => undefined);
    return swap;
  }

  private async doSwapModel(dir: string): Promise<{ servedNow: boolean }> {
    await this.swapping;
    if (this.transition) await this.transition;
    const running = this.running;
    if (running && this.runSettings) {
      const status = await running.inference.load(dir, this.runSettings.inference.providers);
      this.runSettings = { ...this.runSettings, inference: { ...this.runSettings.inference, modelDir: dir } };
      this.enter(
        'serving',
        `Serving ${status.model?.name ?? 'the model'} ${status.model?.version ?? ''} on ${status.provider?.toUpperCase() ?? '?'} (swapped in without a restart), axon on port ${running.axon.port}.`,
      );
      this.log.info(`Model swapped while serving: now ${dir}`);
    }
    await this.deps.settings.update({ inference: { modelDir: dir } });
    return { servedNow: running !== null };
  }

  /**
   * `reason` goes into the status (`stoppedBy`): the operator's Stop and the host's shutdown
   * are no alert, and the operator's is not resumed at the next start either.
   */
  async stop(reason: Exclude<MinerStopReason, 'failure'> = 'operator'): Promise<MinerStatus> {
    await this.swapping;
    if (this.transition) await this.transition;
    const changed = this.stoppedBy !== reason;
    this.stoppedBy = reason;
    if (!this.running) {
      if (this.state === 'error') this.enter('stopped', 'Stopped.');
      else if (changed) this.publish();
      return this.getStatus();
    }
    this.enter('stopping', 'Finishing the requests in flight…');
    const running = this.running;
    this.running = null;
    await running.axon.close();
    await running.inference.close();
    await running.network.close();
    this.enter('stopped', 'Stopped.');
    this.log.info('Mining stopped');
    return this.getStatus();
  }

  async dispose(): Promise<void> {
    await this.stop('shutdown');
    this.settingsListener.dispose();
    this.onDidChangeEmitter.dispose();
    if (this.pending) clearTimeout(this.pending);
  }

  private async doStart(overrides: SettingsPatch): Promise<MinerStatus> {
    const parsed = SettingsSchema.safeParse(applySettingsPatch(this.deps.settings.get(), overrides));
    if (!parsed.success) {
      this.stoppedBy = 'failure';
      this.enter('error', `The settings for this run are invalid: ${describeZodError(parsed.error)}`);
      return this.getStatus();
    }
    const settings = parsed.data;
    this.runSettings = settings;
    this.stats = new MinerStatsTracker();
    this.stoppedBy = null;
    this.enter('starting', 'Loading the hotkey and the model…');
    let inference: InferenceService | null = null;
    let network: NetworkSession | null = null;
    // Closed again if anything after it fails, so a failed start leaves its port free.
    let openedAxon: Axon | null = null;
    try {
      const onChain = settings.chain.network !== 'local';
      const { hotkey, file: hotkeyFile } = onChain
        ? await loadHotkeyFile(walletLocation(settings))
        : await this.localHotkey(settings);
      const exposure = await exposureWarning(hotkeyFile);
      if (exposure) this.log.warn(exposure);
      const session = await this.deps.joinNetwork(settings, hotkey, (message) => this.enter('starting', message));
      network = session;
      inference = this.deps.createInference();
      const modelDir = settings.inference.modelDir ?? this.deps.defaultModelDir;
      try {
        await inference.load(modelDir, settings.inference.providers);
      } catch (error) {
        throw new StartFailure(`The model in ${modelDir} cannot be served: ${errorMessage(error)}`);
      }
      const serving = inference;
      // Read per request: a change in Settings applies at once (unless this run overrides it).
      const answerPolicy = {
        cannotJudge: () => overrides.inference?.cannotJudge ?? this.deps.settings.get().inference.cannotJudge,
      };
      const handler = imageSynapseHandler(
        async (image, context) => {
          // The model that answers: read before the request goes to it (a model swap may follow).
          const model = serving.status.model;
          const { probability: first, embedding } = await serving.classify(image);
          const outcome = await cascade(first, image, context.deadline, settings.cascade);
          context.annotate({
            firstStage: first,
            secondStage: outcome.secondStage,
            embedding: embedding && model ? { model: embeddingModelName(model), vector: embedding } : null,
          });
          return outcome.probability;
        },
        this.log,
        answerPolicy,
      );
      let axon: Axon;
      try {
        axon = await startAxon({
          hotkey: hotkey.ss58Address,
          host: this.deps.axonHost ?? '0.0.0.0',
          port: settings.axon.port,
          policy: {
            standing: session.standing,
            requireValidatorPermit: settings.axon.requireValidatorPermit,
            minStake: settings.axon.minStake,
          },
          handler,
          log: this.log,
          // Every request is counted; only one whose signature verified is logged: a refused
          // request's hotkey may be forged, and its image is anyone's.
          onOutcome: (outcome) => {
            this.stats.record(outcome);
            this.schedulePublish();
          },
          onRecord: (record) => {
            if (record.status === 200 && record.details.unjudged === true) this.stats.recordUnjudged();
            this.schedulePublish();
            void this.deps.challenges.record(toChallenge(record)).catch((error: unknown) => {
              this.log.error(`A challenge could not be logged: ${errorMessage(error)}`);
            });
          },
        });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new StartFailure(
          code === 'EADDRINUSE'
            ? `Port ${settings.axon.port} is in use: stop what holds it, or choose another axon port in Settings.`
            : `The axon could not open port ${settings.axon.port} (${code ?? String(error)}).`,
        );
      }
      openedAxon = axon;
      const advert = await session.attach(axon.port);
      this.running = { axon, inference: serving, hotkey, network: session };
      const status = serving.status;
      const uid = session.uid;
      this.enter(
        'serving',
        `Serving ${status.model?.name ?? 'the model'} on ${status.provider?.toUpperCase() ?? '?'}, axon on port ${axon.port}${uid === undefined ? '' : `, as uid ${uid}`}.${advert}${exposure ? ` ${exposure}` : ''}`,
      );
      this.log.info(
        `Mining on the ${settings.chain.network} network as ${hotkey.ss58Address}${uid === undefined ? '' : ` (uid ${uid})`}, axon on port ${axon.port}`,
      );
    } catch (error) {
      if (!this.running) await openedAxon?.close();
      await inference?.close();
      if (!this.running) await network?.close();
      const reason = errorMessage(error);
      this.stoppedBy = 'failure';
      this.enter('error', reason);
      this.log.error(`Mining could not start: ${reason}`);
    }
    return this.getStatus();
  }

  /** The operator's own hotkey when the wallet in Settings has one; otherwise the console's local one. */
  private async localHotkey(settings: Settings): Promise<{ hotkey: Hotkey; file: string }> {
    try {
      return await loadHotkeyFile(walletLocation(settings));
    } catch (error) {
      if (!(error instanceof WalletError) || error.problem !== 'missing') throw error;
      return loadHotkeyFile(await ensureLocalHotkey(this.deps.dataDir));
    }
  }

  private enter(state: MinerState, message: string): void {
    this.state = state;
    this.message = message;
    this.since = new Date().toISOString();
    this.publish();
  }

  private schedulePublish(): void {
    this.pending ??= setTimeout(() => {
      this.pending = null;
      this.publish();
    }, STATUS_THROTTLE_MS);
  }

  private publish(): void {
    this.onDidChangeEmitter.fire(this.getStatus());
  }

  private compose(settings: Settings): MinerStatus {
    const running = this.running;
    const inference = running?.inference.status;
    return {
      state: this.state,
      message: this.message,
      network: settings.chain.network,
      netuid: settings.chain.netuid,
      axonPort: running?.axon.port ?? settings.axon.port,
      wallet: { name: settings.wallet.name, hotkey: settings.wallet.hotkey },
      hotkeyAddress: running?.hotkey.ss58Address ?? null,
      model: inference?.model ? { name: inference.model.name, version: inference.model.version } : null,
      provider: inference?.provider ?? null,
      stats: running || this.state !== 'stopped' ? this.stats.snapshot() : EMPTY_MINER_STATS,
      since: this.since,
      stoppedBy: this.stoppedBy,
    };
  }
}

async function loadHotkeyFile(location: HotkeyLocation): Promise<{ hotkey: Hotkey; file: string }> {
  return { hotkey: await loadHotkey(location), file: hotkeyFilePath(location) };
}

/** A sentence for the operator when others on this machine can read the hotkey's secret; null when they cannot. */
async function exposureWarning(file: string): Promise<string | null> {
  const exposed = await isExposed(file).catch(() => false);
  return exposed ? `The hotkey file ${file} is readable by other users: chmod 600 ${file}` : null;
}

function walletLocation(settings: Settings): { walletsPath: string; wallet: string; hotkey: string } {
  return { walletsPath: settings.wallet.path, wallet: settings.wallet.name, hotkey: settings.wallet.hotkey };
}

const probability = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1 ? value : null;

/** What the challenge log keeps of an axon record: the image bytes, never the whole body. */
function toChallenge(record: AxonRecord): ChallengeInput {
  const image = record.synapse?.image;
  const label = record.synapse?.testnet_label;
  return {
    time: record.time,
    hotkey: record.hotkey,
    uid: record.uid,
    status: record.status,
    message: record.message,
    latencyMs: record.latencyMs,
    prediction: probability(record.response?.prediction),
    firstStage: probability(record.details.firstStage),
    secondStage: probability(record.details.secondStage),
    testnetLabel: typeof label === 'number' && Number.isInteger(label) && label >= 0 ? label : null,
    image: typeof image === 'string' && image.length > 0 ? Buffer.from(image, 'base64') : null,
    embedding: embeddingOf(record.details.embedding),
  };
}

function embeddingOf(value: unknown): Embedding | null {
  if (typeof value !== 'object' || value === null) return null;
  const { model, vector } = value as Partial<Embedding>;
  return typeof model === 'string' && vector instanceof Float32Array && vector.length > 0 ? { model, vector } : null;
}
