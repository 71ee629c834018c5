import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { OperatorApi } from '../shared/contract.js';
import { ApiEndpoint } from './api/api-endpoint.js';
import { describeApp, type HostKind } from './app/app-info.js';
import { lockDataDir, type DataLock } from './app/data-lock.js';
import { findResourcesDir } from './app/resources-dir.js';
import { forkWorker, type WorkerLauncher } from './inference/worker-launcher.js';
import { HostMetricsService } from './app/host-metrics.js';
import { LogService } from './log/log-service.js';
import { ChallengeLog } from './miner/challenge-log.js';
import { MinerService } from './miner/miner-service.js';
import { InferenceService } from './inference/inference-service.js';
import type { LocalPace } from './subnet/local-session.js';
import { minerNetworks } from './subnet/miner-networks.js';
import { MetagraphHistory } from './chain/metagraph-history.js';
import { EarningsService } from './earnings/earnings-service.js';
import { MetagraphService } from './chain/metagraph-service.js';
import { HardCaseStore } from './hardcases/hard-case-store.js';
import { HardCaseService } from './hardcases/hard-case-service.js';
import { UploadStaging } from './hardcases/upload-staging.js';
import { VlmServerSupervisor } from './inference/vlm-server-supervisor.js';
import { VlmService } from './inference/vlm-service.js';
import { openDatabase } from './store/database.js';
import { MIGRATIONS } from './store/migrations.js';
import { SettingsService } from './settings/settings-service.js';
import { TrainerHosts } from './trainer/trainer-hosts.js';
import { TrainingService } from './trainer/training-service.js';
import { scheduleNightlyTraining } from './trainer/nightly-training.js';
import { PtyHost } from './terminal/pty-host.js';
import type { PtyHostLauncher } from './terminal/pty-host-launcher.js';
import { TerminalService } from './terminal/terminal-service.js';
import { HF_TOKEN_SECRET, PublishService, type PublishServiceDependencies } from './publish/publish-service.js';
import { fileSecretStore, type SecretStore } from './publish/secret-store.js';
import { ModelService, type ModelServiceDependencies } from './models/model-service.js';
import { HfImportService } from './models/hf-import.js';
import { AlertService } from './alerts/alert-service.js';
import type { Notifier } from './alerts/notifier.js';

export interface HostOptions {
  kind: HostKind;
  /** Where settings, the database and logs live; created if missing, and locked to this host. */
  dataDir: string;
  /** Who this host is, as the operator started it ("npm run serve"): a second host on the folder is told. */
  program?: string;
  /**
   * Serve again at start when the miner was serving on the settings' network before the host went
   * down and Settings say so (mining.resumeOnStart). False where the caller starts it with its own
   * flags (`npm run mine`).
   */
  resumeMining?: boolean;
  /** Echo the log to a terminal (a headless host, `npm run mine`). */
  echoLog?: false | 'stdout' | 'stderr';
  /** How often the host samples its own health. */
  metricsIntervalMs?: number;
  /** The shipped resources (default model, trainer scripts); found next to the code when not given. */
  resourcesDir?: string;
  /** How inference workers start: a forked Node process unless the shell says otherwise. */
  launchWorker?: WorkerLauncher;
  /** How the terminals' pty host starts: a forked Node process unless the shell says otherwise. */
  launchPtyHost?: PtyHostLauncher;
  /** Where the axon listens (tests use loopback). */
  axonHost?: string;
  /** How fast the local subnet's validators work (tests slow them down or speed them up). */
  localPace?: LocalPace;
  /** How a candidate model is judged (tests shorten the rehearsal and the fallback held-out set). */
  modelJudging?: Pick<ModelServiceDependencies, 'rehearsal' | 'fallbackScenes'>;
  /** Desktop notifications for alerts (the Electron shell's); headless the renderer shows them. */
  notifier?: Notifier;
  /** Where secrets (the Hugging Face token) are kept: the shell's keychain, else 0600 files in the data folder. */
  secretStore?: SecretStore;
  /** How fast the NATIX registration is polled and a dropped upload retried (tests shorten them). */
  publishPace?: Pick<PublishServiceDependencies, 'natixPoll' | 'uploadRetryDelayMs'>;
}

export interface Host {
  readonly api: OperatorApi;
  readonly miner: MinerService;
  readonly challenges: ChallengeLog;
  readonly metagraph: MetagraphService;
  readonly hardCases: HardCaseStore;
  readonly models: ModelService;
  readonly alerts: AlertService;
  /** Checks everything that crosses a process boundary; the transports talk to this. */
  readonly endpoint: ApiEndpoint;
  readonly log: LogService;
  close(): Promise<void>;
}

/**
 * The composition root: every back-end service is built here, and only here. The data folder is
 * locked first (a second host on it fails with DataFolderInUse, saying who holds it) and released
 * when the host closes, or when it fails to start.
 */
export async function createHost(options: HostOptions): Promise<Host> {
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const lock = lockDataDir(
    options.dataDir,
    options.program ?? (options.kind === 'electron' ? 'the desktop app' : 'a headless console'),
  );
  try {
    return await openHost(options, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function openHost(options: HostOptions, lock: DataLock): Promise<Host> {
  const startedAt = new Date();
  const log = new LogService({
    filePath: join(options.dataDir, 'logs', 'console.log'),
    echo: options.echoLog ?? false,
  });
  const hostLog = log.forSource('host');
  const settings = await SettingsService.open(options.dataDir, log.forSource('settings'));
  const resourcesDir = options.resourcesDir ?? findResourcesDir();
  const database = openDatabase(join(options.dataDir, 'console.db'), MIGRATIONS);
  const history = new MetagraphHistory(database);
  const metagraph = new MetagraphService(history);
  const earnings = new EarningsService({ db: database, history, settings });
  const challenges = new ChallengeLog(database, join(options.dataDir, 'images'), log.forSource('challenges'));
  const hardCases = new HardCaseStore(database, challenges.fullImagesDir, challenges.thumbnailsDir);
  // What the miner was unsure of becomes a hard case (its full image is already on disk).
  challenges.onHardCase(({ record, embedding }) => {
    hardCases.recordSighting({
      hash: record.imageHash!,
      source: 'challenge',
      time: record.time,
      validator: record.hotkey || null,
      prediction: record.prediction,
      firstStage: record.firstStage,
      secondStage: record.secondStage,
      testnetLabel: record.testnetLabel,
      embedding,
    });
  });
  const uploads = new UploadStaging(join(options.dataDir, 'uploads'));
  // Batches a previous run staged and never imported.
  await uploads.clear();
  const gallery = new HardCaseService(hardCases, uploads);
  // Every case's uniqueness, worked out in slices now, so the first sort by it need not wait.
  void hardCases.settleUniqueness();
  const launchWorker = options.launchWorker ?? forkWorker;
  const miner = new MinerService({
    settings,
    log,
    dataDir: options.dataDir,
    defaultModelDir: join(resourcesDir, 'models', 'default'),
    createInference: () => new InferenceService(launchWorker, log.forSource('inference')),
    joinNetwork: minerNetworks({ metagraph, log, localPace: options.localPace }),
    axonHost: options.axonHost,
    challenges,
  });
  const vlm = new VlmService(new VlmServerSupervisor({ log: log.forSource('vlm') }), () => settings.get().cascade);
  const trainerHosts = new TrainerHosts(settings, join(options.dataDir, 'ssh', 'known_hosts'));
  const terminals = new TerminalService(trainerHosts, { ptys: new PtyHost(options.launchPtyHost) });
  const models = await ModelService.open({
    db: database,
    settings,
    miner,
    hardCases,
    dataDir: options.dataDir,
    defaultModelDir: join(resourcesDir, 'models', 'default'),
    log: log.forSource('models'),
    launchWorker: options.launchWorker,
    ...options.modelJudging,
  });
  const secrets = options.secretStore ?? fileSecretStore(join(options.dataDir, 'secrets'));
  const publish = new PublishService({
    settings,
    models,
    metagraph,
    secrets,
    dataDir: options.dataDir,
    log: log.forSource('publish'),
    ...options.publishPace,
  });
  const training = new TrainingService({
    database,
    ssh: trainerHosts.ssh,
    hosts: trainerHosts,
    settings,
    hardCases,
    models,
    trainerDir: join(resourcesDir, 'trainer'),
    localDir: join(options.dataDir, 'training'),
    log: log.forSource('training'),
  });
  // Runs a previous console left on a box are followed again (or finished from their exit status).
  training.resume();
  const hfImport = new HfImportService({
    models,
    hosts: trainerHosts,
    endpoint: () => settings.get().publish.hfEndpoint,
    // The operator's Hub token (Publish), for private or gated repositories.
    token: () => secrets.get(HF_TOKEN_SECRET),
    trainerDir: join(resourcesDir, 'trainer'),
    dataDir: options.dataDir,
    log: log.forSource('models'),
  });
  const nightly = scheduleNightlyTraining({
    training,
    hardCases,
    settings,
    dataDir: options.dataDir,
    log: log.forSource('schedule'),
  });
  nightly.start().catch((error: unknown) => hostLog.error(`The nightly schedule did not start: ${String(error)}`));
  // Alerts worth waking up for, gathered from the services' own streams.
  const alerts = new AlertService({
    db: database,
    log: log.forSource('alerts'),
    notifier: options.notifier,
    resumeMiner: options.resumeMining ?? true,
    sources: {
      settings,
      minerStatus: (emit) => miner.stream(emit),
      metagraphView: (emit) => metagraph.stream(emit),
      modelRegistry: (emit) => models.streamRegistry(emit),
      trainingRuns: (emit) => training.streamRuns(emit),
    },
  });
  const metrics = new HostMetricsService(options.metricsIntervalMs);
  const appInfo = describeApp(options.kind, options.dataDir, startedAt);

  const api: OperatorApi = {
    commands: {
      'app.info': () => Promise.resolve(appInfo),
      ...settings.handlers(),
      ...miner.handlers(),
      ...metagraph.handlers(),
      ...challenges.handlers(),
      ...gallery.handlers(),
      ...vlm.handlers(),
      ...trainerHosts.handlers(),
      ...training.handlers(),
      ...terminals.handlers(),
      ...models.handlers(),
      ...publish.handlers(),
      ...hfImport.handlers(),
      ...alerts.handlers(),
      ...earnings.handlers(),
    },
    streams: {
      ...miner.streams(),
      ...settings.streams(),
      ...log.streams(),
      ...metrics.streams(),
      ...vlm.streams(),
      ...metagraph.streams(),
      ...challenges.streams(),
      ...gallery.streams(),
      ...training.streams(),
      ...terminals.streams(),
      ...models.streams(),
      ...publish.streams(),
      ...hfImport.streams(),
      ...alerts.streams(),
      ...earnings.streams(),
    },
  };

  hostLog.info(`${appInfo.name} ${appInfo.version} started (${options.kind}); data in ${options.dataDir}`);
  if (alerts.resumesMiner) {
    // The operator left it serving here: a restart of the console or the rig does not stop it.
    hostLog.info('The miner was serving on this network when the console last stopped: starting it again.');
    void miner.start();
  }
  return {
    api,
    miner,
    challenges,
    metagraph,
    hardCases,
    models,
    alerts,
    endpoint: new ApiEndpoint(api, log.forSource('api')),
    log,
    async close() {
      hostLog.info('Shutting down');
      metrics.dispose();
      // First, so nothing is judged while the host comes down (the miner's status says 'shutdown' anyway).
      alerts.dispose();
      await miner.dispose();
      await vlm.dispose();
      metagraph.dispose();
      earnings.dispose();
      history.dispose();
      nightly.dispose();
      await training.dispose();
      await terminals.dispose();
      hfImport.dispose();
      await publish.dispose();
      models.dispose();
      gallery.dispose();
      hardCases.dispose();
      database.close();
      settings.dispose();
      await log.close();
      lock.release();
    },
  };
}
