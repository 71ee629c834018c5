/**
 * The Models room: the registry of every model the miner has served or could serve, judging a
 * candidate beside the live model, deploying it (hot-swapped when mining) and rolling back.
 * Deploys and rollbacks are recorded durably before they are answered; one evaluation runs at a
 * time.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CommandHandlers, Disposable, StreamSources } from '../../shared/contract.js';
import {
  modelAge,
  type DeployOutcome,
  type Deployment,
  type ModelEvaluation,
  type ModelOrigin,
  type ModelRegistryView,
  type RegisteredModel,
} from '../../shared/domain/model-registry.js';
import { ApiError, errorMessage } from '../../shared/errors.js';
import { Emitter } from '../base/emitter.js';
import type { HardCaseStore } from '../hardcases/hard-case-store.js';
import type { WorkerLauncher } from '../inference/worker-launcher.js';
import type { Logger } from '../log/log-service.js';
import type { SettingsService } from '../settings/settings-service.js';
import { judgeGate } from './deploy-gate.js';
import { prepareHeldOutSet } from './held-out-set.js';
import { judgeCandidate, SHORT_REHEARSAL, type RehearsalPlan } from './judge-candidate.js';
import { checkModelRuns, copyModelFolder, readModelFolder } from './model-folder-copy.js';
import { ModelRegistry, type ModelRecord } from './model-registry.js';
import type { Db } from '../store/database.js';

/** What deploying needs of the miner (MinerService implements it). */
export interface ModelSwapper {
  swapModel(dir: string): Promise<{ servedNow: boolean }>;
}

export interface ModelServiceDependencies {
  db: Db;
  settings: SettingsService;
  miner: ModelSwapper;
  hardCases: HardCaseStore;
  dataDir: string;
  /** The model shipped with the console: registered at first start as the live one. */
  defaultModelDir: string;
  log: Logger;
  launchWorker?: WorkerLauncher;
  /** The rehearsal each evaluation runs (short by default). */
  rehearsal?: Partial<RehearsalPlan>;
  /** How many generated scenes stand in for a held-out set with too few labelled images. */
  fallbackScenes?: number;
}

type ModelCommand =
  | 'models.list'
  | 'models.get'
  | 'models.import'
  | 'models.markPublished'
  | 'models.evaluate'
  | 'models.deploy'
  | 'models.rollback';

const FALLBACK_SEED = 4242;
/** A publication date this far ahead of the clock is a typo, not a plan. */
const FUTURE_SLACK_MS = 5 * 60_000;

export class ModelService {
  private readonly changed = new Emitter<void>();
  private readonly registry: ModelRegistry;
  private readonly modelsDir: string;
  private readonly log: Logger;
  private evaluatingId: string | null = null;
  /** Deploys and rollbacks, one after the other. */
  private deploying: Promise<unknown> = Promise.resolve();

  private constructor(private readonly deps: ModelServiceDependencies) {
    this.registry = new ModelRegistry(deps.db);
    this.modelsDir = join(deps.dataDir, 'models');
    this.log = deps.log;
  }

  /** Opens the registry: the shipped model registered, and the live model agreeing with the settings. */
  static async open(deps: ModelServiceDependencies): Promise<ModelService> {
    const service = new ModelService(deps);
    await mkdir(service.modelsDir, { recursive: true });
    await service.reconcile();
    return service;
  }

  /** A model a training run brought back; refused with the reason when model.onnx or model.json is wrong. */
  async addTrained(dir: string, origin: { runId: string; hostId: string; parentId?: string }): Promise<{ id: string }> {
    const record = await this.register(
      dir,
      { kind: 'trained', runId: origin.runId, hostId: origin.hostId },
      origin.parentId ?? this.registry.liveId(),
    );
    return { id: record.id };
  }

  async import(dir: string): Promise<RegisteredModel> {
    const record = await this.register(resolve(dir), { kind: 'imported', dir: resolve(dir) }, null);
    return this.describe(record);
  }

  get(id: string): RegisteredModel {
    return this.describe(this.record(id));
  }

  view(): ModelRegistryView {
    return {
      models: this.registry.all().map((record) => this.describe(record)),
      liveId: this.registry.liveId(),
      rollbackToId: this.registry.rollbackTargetId(),
      evaluatingId: this.evaluatingId,
    };
  }

  /** `repo`: the Hub repo, when the console published it there itself. */
  markPublished(id: string, at: string, repo: string | null = null): RegisteredModel {
    this.record(id);
    if (Date.parse(at) > Date.now() + FUTURE_SLACK_MS)
      throw new ApiError('failed', `${at} is in the future: record the date the model was published.`);
    this.registry.setPublished(id, new Date(at).toISOString(), repo);
    this.changed.fire();
    return this.get(id);
  }

  async evaluate(id: string, rehearsalChallenges?: number): Promise<ModelEvaluation> {
    const candidate = this.record(id);
    if (this.evaluatingId !== null)
      throw new ApiError('failed', `${this.evaluatingId} is being evaluated; one evaluation runs at a time.`);
    const live = this.live();
    this.evaluatingId = id;
    this.changed.fire();
    try {
      const count = this.deps.fallbackScenes ?? 200;
      const heldOut = await prepareHeldOutSet(this.deps.hardCases, this.modelsDir, {
        dir: join(this.modelsDir, `.held-out-scenes-${FALLBACK_SEED}-${count}`),
        count,
        seed: FALLBACK_SEED,
      });
      try {
        const plan = { ...SHORT_REHEARSAL, ...this.deps.rehearsal };
        const judgement = await judgeCandidate({
          candidate,
          live,
          heldOut,
          rehearsal: { ...plan, challenges: rehearsalChallenges ?? plan.challenges },
          log: this.log,
          launchWorker: this.deps.launchWorker,
        });
        const evaluation = { ...judgement, gate: judgeGate(judgement, this.deps.settings.get().deploy, live.id) };
        this.registry.addEvaluation(evaluation);
        this.log.info(`Evaluated ${id} against ${live.id}: ${evaluation.gate.summary}`);
        return evaluation;
      } finally {
        await heldOut.dispose();
      }
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('failed', `${id} could not be evaluated: ${errorMessage(error)}`);
    } finally {
      this.evaluatingId = null;
      this.changed.fire();
    }
  }

  deploy(id: string, confirm: boolean): Promise<DeployOutcome> {
    return this.serially(async () => {
      if (!confirm) throw new ApiError('failed', 'Deploying replaces the model the miner serves: confirm it first.');
      const candidate = this.record(id);
      const live = this.live();
      if (candidate.id === live.id) throw new ApiError('failed', `${id} is already the live model.`);
      const stored = this.registry.latestEvaluation(id);
      if (!stored)
        throw new ApiError('failed', `${id} has not been evaluated: Evaluate it first, the gate judges its numbers.`);
      const gate = judgeGate(stored, this.deps.settings.get().deploy, live.id);
      if (!gate.passed) throw new ApiError('failed', `The gate refuses ${id}. ${gate.reasons.join(' ')}`);
      return this.serve(candidate, 'deploy', live.id);
    });
  }

  rollback(): Promise<DeployOutcome> {
    return this.serially(async () => {
      const targetId = this.registry.rollbackTargetId();
      const liveId = this.registry.liveId();
      if (!targetId)
        throw new ApiError('failed', `Nothing to roll back to: ${liveId ?? 'no model'} is the only model deployed.`);
      return this.serve(this.record(targetId), 'rollback', liveId);
    });
  }

  handlers(): CommandHandlers<ModelCommand> {
    return {
      'models.list': () => Promise.resolve(this.view()),
      'models.get': ({ id }) => Promise.resolve().then(() => this.get(id)),
      'models.import': ({ dir }) => this.import(dir),
      'models.markPublished': ({ id, at }) => Promise.resolve().then(() => this.markPublished(id, at)),
      'models.evaluate': ({ id, rehearsalChallenges }) => this.evaluate(id, rehearsalChallenges),
      'models.deploy': ({ id, confirm }) => this.deploy(id, confirm),
      'models.rollback': () => this.rollback(),
    };
  }

  /** The registry now, then after every change. */
  streamRegistry(emit: (registry: ModelRegistryView) => void): Disposable {
    emit(this.view());
    return this.changed.event(() => emit(this.view()));
  }

  streams(): StreamSources<'models.registry'> {
    return {
      'models.registry': (_params, emit) => this.streamRegistry(emit),
    };
  }

  dispose(): void {
    this.changed.dispose();
  }

  private async serve(
    model: ModelRecord,
    kind: 'deploy' | 'rollback',
    previousId: string | null,
  ): Promise<DeployOutcome> {
    let servedNow: boolean;
    try {
      ({ servedNow } = await this.deps.miner.swapModel(model.dir));
    } catch (error) {
      throw new ApiError(
        'failed',
        `${model.id} could not be served (${errorMessage(error)}); the live model is unchanged.`,
      );
    }
    this.registry.recordDeployment(model.id, kind, servedNow);
    this.changed.fire();
    const verb = kind === 'deploy' ? 'Deployed' : 'Rolled back to';
    const message = servedNow
      ? `${verb} ${model.id}: the miner serves it now.`
      : `${verb} ${model.id}: the miner serves it from its next start.`;
    this.log.info(message);
    return { modelId: model.id, previousId, servedNow, message };
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.deploying.then(work);
    this.deploying = next.catch(() => undefined);
    return next;
  }

  private record(id: string): ModelRecord {
    const record = this.registry.get(id);
    if (!record) throw new ApiError('failed', `No model ${id} in the registry.`);
    return record;
  }

  private live(): ModelRecord {
    const liveId = this.registry.liveId();
    if (!liveId) throw new ApiError('failed', 'No model is live yet.');
    return this.record(liveId);
  }

  /** Registers a folder (the same files twice are one model) by copying it into the registry. */
  private async register(dir: string, origin: ModelOrigin, parentId: string | null): Promise<ModelRecord> {
    let checked;
    try {
      checked = await readModelFolder(dir);
      const known = this.registry.byContent(checked.contentHash);
      if (known) return known;
      await checkModelRuns(checked.model);
    } catch (error) {
      throw new ApiError('failed', errorMessage(error));
    }
    const id = this.registry.freeId(checked.model.manifest);
    const copy = await copyModelFolder(checked, this.modelsDir, id);
    const record = this.registry.add({
      id,
      dir: copy,
      contentHash: checked.contentHash,
      manifest: checked.model.manifest,
      parentId,
      origin,
    });
    this.log.info(`Model ${id} registered (${origin.kind}) from ${dir}`);
    this.changed.fire();
    return record;
  }

  /**
   * The shipped model is registered (once per content), and the live model made to agree with
   * what the settings serve: at first start the shipped one, or a folder the operator had set.
   */
  private async reconcile(): Promise<void> {
    const shipped = await this.register(this.deps.defaultModelDir, { kind: 'shipped' }, null);
    const configured = this.deps.settings.get().inference.modelDir;
    const liveId = this.registry.liveId();
    const kind: Deployment['kind'] = liveId === null ? 'initial' : 'settings';
    let serving: ModelRecord = shipped;
    if (configured !== null) {
      const known = this.registry.all().find((record) => resolve(record.dir) === resolve(configured));
      try {
        serving =
          known ?? (await this.register(resolve(configured), { kind: 'imported', dir: resolve(configured) }, null));
      } catch (error) {
        this.log.error(`The model folder in Settings cannot be registered (${errorMessage(error)}).`);
        if (liveId !== null) return;
      }
    }
    if (serving.id !== liveId) this.registry.recordDeployment(serving.id, kind, false);
  }

  private describe(record: ModelRecord): RegisteredModel {
    const liveId = this.registry.liveId();
    const stored = this.registry.latestEvaluation(record.id);
    return {
      id: record.id,
      name: record.name,
      version: record.version,
      architecture: record.architecture,
      dir: record.dir,
      metrics: record.metrics,
      dataHash: record.dataHash,
      parentId: record.parentId,
      origin: record.origin,
      createdAt: record.createdAt,
      registeredAt: record.registeredAt,
      publishedAt: record.publishedAt,
      publishedRepo: record.publishedRepo,
      age: record.publishedAt ? modelAge(record.publishedAt, new Date()) : null,
      live: record.id === liveId,
      evaluation: stored ? { ...stored, gate: judgeGate(stored, this.deps.settings.get().deploy, liveId) } : null,
      deployments: this.registry.deployments().filter((deployment) => deployment.modelId === record.id),
    };
  }
}
