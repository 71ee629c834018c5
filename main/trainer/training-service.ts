/**
 * Training runs on a trainer host (issue 7): the console's side of each run from its queueing to
 * its model in the registry. A run is exported, synced and started detached on the box
 * (train-job.ts), then followed (run-follower.ts) until its exit status is written there; every
 * change is in the database before anyone is told. A console that starts picks up the runs it
 * left running; a dropped link is retried, never a reason to fail a run that trains on.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandHandlers, CommandRequest, Disposable, StreamSources } from '../../shared/contract.js';
import { ApiError, errorMessage } from '../../shared/errors.js';
import { describeHost, type TrainerHost } from '../../shared/domain/trainer-host.js';
import type { Settings } from '../../shared/domain/settings.js';
import { FINISHED_RUN_STATES, type RunProgress, type TrainingRun } from '../../shared/domain/training.js';
import type { HardCaseStore } from '../hardcases/hard-case-store.js';
import type { Logger } from '../log/log-service.js';
import type { Db } from '../store/database.js';
import { withRetry } from '../base/retry.js';
import { isTransientLinkFailure, LINK_RETRY_DELAYS_MS } from '../remote/link-retry.js';
import { EVENTS_FILE, remoteRunDir, stopCommand, type DetachMode } from '../remote/remote-run.js';
import { followRun, type FollowHandlers } from './run-follower.js';
import { publicRun, RunStore, type MetricsPoint, type RunPatch, type RunRecord } from './run-store.js';
import type { SshClient } from '../remote/ssh-client.js';
import { SshError } from '../remote/ssh-errors.js';
import { advanceProgress, parseTrainerEvent } from './trainer-events.js';
import { lastLines, RunFailure, type JobStep } from './remote-job.js';
import { pullModel, resumeTraining, syncAndStartTraining } from './train-job.js';
import { cleanBox, cleanupPlan, KEEP_FINISHED_RUNS } from './box-cleanup.js';
import { DEFAULT_GENERATED_COUNT } from '../../shared/domain/training.js';
import { importGeneratedRun, syncAndStartGeneration } from './synthetic-job.js';

/** Where a trained model goes: the model registry (main/models/), injected by the host. */
export interface TrainedModelRegistry {
  addTrained(dir: string, origin: { runId: string; hostId: string }): Promise<{ id: string }>;
}

export interface TrainingTuning {
  /** How often the box's run folder is looked at while following. */
  pollSeconds: number;
  /** A GPU sample every this many polls (when the box has nvidia-smi). */
  gpuEveryPolls: number;
  retryDelaysMs: readonly number[];
  /** `auto`: tmux when the box has it, else nohup. */
  detach: DetachMode;
  /** More train.py flags (tests: small images, a metrics line every step). */
  extraTrainerArgs: readonly string[];
  /** The runs stream sends the list at most this often. */
  runsEveryMs: number;
  /** Finished runs whose folders (and datasets) stay on the box. */
  keepFinishedRuns: number;
}

/** How often a vanished trainer is started again before the run fails. */
const MAX_RESUMES = 2;

const DEFAULT_TUNING: TrainingTuning = {
  pollSeconds: 1,
  gpuEveryPolls: 5,
  retryDelaysMs: LINK_RETRY_DELAYS_MS,
  detach: 'auto',
  extraTrainerArgs: [],
  runsEveryMs: 250,
  keepFinishedRuns: KEEP_FINISHED_RUNS,
};

export interface TrainingServiceOptions {
  database: Db;
  ssh: SshClient;
  hosts: { resolve(hostId?: string): TrainerHost };
  settings: { get(): Settings };
  hardCases: HardCaseStore;
  models: TrainedModelRegistry;
  /** resources/trainer on this machine. */
  trainerDir: string;
  /** <dataDir>/training: each run's export and pulled model. */
  localDir: string;
  log?: Logger;
  tuning?: Partial<TrainingTuning>;
}

type RunCommand = 'training.runs' | 'training.start' | 'training.cancel' | 'training.metrics' | 'training.log';
export type StartRequest = CommandRequest<'training.start'>;

interface ActiveRun {
  abort: AbortController;
  done: Promise<void>;
}

/** A job step that stops because the run finished meanwhile (cancelled) or the console is closing. */
class JobStopped extends Error {}

export class TrainingService {
  readonly store: RunStore;
  private readonly tuning: TrainingTuning;
  private readonly active = new Map<string, ActiveRun>();
  /** Runs started again after their job vanished, by this console: a box that keeps killing one is not fought forever. */
  private readonly resumes = new Map<string, number>();
  private disposed = false;

  constructor(private readonly options: TrainingServiceOptions) {
    this.store = new RunStore(options.database);
    this.tuning = { ...DEFAULT_TUNING, ...options.tuning };
  }

  /**
   * Picks up what a previous console left: runs on the box are followed again (those that ended
   * meanwhile finish from their exit status and metrics log); a run caught before its trainer
   * started cannot be trusted to have synced whole and fails, saying so.
   */
  resume(): void {
    for (const run of this.store.unfinished()) {
      if (run.state === 'running') {
        this.note(run.id, 'Console started: reattaching to the run on the box');
        this.drive(run.id, (step) => this.watch(step));
      } else {
        this.finish(run.id, {
          state: 'failed',
          reason: `The console stopped while the run was ${run.state === 'queued' ? 'queued' : 'syncing'}, before the trainer started; start a new run.`,
        });
      }
    }
  }

  runs(): TrainingRun[] {
    return this.store.list().map(publicRun);
  }

  /** Queues a run and sets it going; refuses (throws) when it cannot even be queued. */
  start(request: StartRequest, scheduled = false): TrainingRun {
    if (this.disposed) throw new ApiError('unavailable', 'The console is shutting down.');
    const kind = request.kind ?? 'train';
    const host = this.options.hosts.resolve(request.hostId);
    const busy = this.store.unfinished().find((run) => run.hostId === host.id);
    if (busy) {
      throw new ApiError(
        'failed',
        `Run ${busy.id} is still ${busy.state} on ${host.name}: wait for it to end or cancel it first.`,
      );
    }
    const training = this.options.settings.get().training;
    const id = newRunId();
    const run = this.store.create({
      id,
      kind,
      hostId: host.id,
      hostLabel: describeHost(host),
      state: 'queued',
      detail: 'Queued',
      reason: null,
      scheduled,
      params: {
        epochs: request.epochs ?? training.epochs,
        maxSteps: request.maxSteps ?? null,
        batchSize: training.batchSize,
        base: training.base,
        syntheticShare: training.syntheticShare,
        count: kind === 'synthetic' ? (request.count ?? DEFAULT_GENERATED_COUNT) : (request.count ?? null),
        device: request.device ?? 'auto',
      },
      createdAt: new Date().toISOString(),
      remoteDir: remoteRunDir(host, id),
    });
    this.note(id, `Queued on ${run.hostLabel}${scheduled ? ' by the nightly schedule' : ''}`);
    this.drive(id, async (step) => {
      if (kind === 'synthetic')
        await syncAndStartGeneration(step, { trainerDir: this.options.trainerDir, detach: this.tuning.detach });
      else
        await syncAndStartTraining(step, {
          hardCases: this.options.hardCases,
          trainerDir: this.options.trainerDir,
          localDir: this.localDir(id),
          syntheticShare: run.params.syntheticShare,
          detach: this.tuning.detach,
          extraArgs: this.tuning.extraTrainerArgs,
        });
      await this.watch({ ...step, run: this.store.require(id) });
    });
    return publicRun(run);
  }

  /**
   * Before the trainer runs, a cancel is immediate. After, the trainer is sent SIGTERM (it saves a
   * checkpoint and exits 143) and the run turns cancelled when its exit status is read; with the
   * link down, the signal goes as soon as it is back.
   */
  async cancel(id: string, reason = 'Cancelled by the operator'): Promise<TrainingRun> {
    const run = this.store.get(id);
    if (!run) throw new ApiError('failed', `No training run "${id}".`);
    if (FINISHED_RUN_STATES.includes(run.state)) return publicRun(run);
    if (run.state !== 'running') {
      const cancelled = this.finish(id, { state: 'cancelled', reason: `${reason} before the trainer started.` });
      this.active.get(id)?.abort.abort();
      return publicRun(cancelled ?? this.store.require(id));
    }
    this.store.update(id, { stopReason: reason, detail: 'Stopping: the trainer saves a checkpoint and exits' });
    this.note(id, `${reason}: stopping the trainer`);
    await this.sendStop(id);
    return publicRun(this.store.require(id));
  }

  handlers(): CommandHandlers<RunCommand> {
    return {
      'training.runs': () => Promise.resolve(this.runs()),
      'training.start': (request) => new Promise((resolve) => resolve(this.start(request))),
      'training.cancel': ({ id }) => this.cancel(id),
      'training.metrics': ({ id }) => Promise.resolve(this.store.metrics(id)),
      'training.log': ({ id, lines }) => {
        if (!this.store.get(id)) return Promise.reject(new ApiError('failed', `No training run "${id}".`));
        return Promise.resolve({ lines: this.store.log(id, lines) });
      },
    };
  }

  /** The runs now, then after changes (a burst of them goes out once). */
  streamRuns(emit: (runs: TrainingRun[]) => void): Disposable {
    emit(this.runs());
    let timer: NodeJS.Timeout | undefined;
    const changes = this.store.onDidChange(() => {
      timer ??= setTimeout(() => {
        timer = undefined;
        emit(this.runs());
      }, this.tuning.runsEveryMs);
    });
    return {
      dispose: () => {
        changes.dispose();
        clearTimeout(timer);
      },
    };
  }

  streams(): StreamSources<'training.runs' | 'training.metrics'> {
    return {
      'training.runs': (_params, emit) => this.streamRuns(emit),
      'training.metrics': ({ id }, emit) => {
        const points = this.store.onDidAddPoints((added) => {
          if (added.runId === id) emit({ runId: id, steps: added.steps, epochs: added.epochs, reset: false });
        });
        emit({ ...this.store.metrics(id), reset: true });
        return points;
      },
    };
  }

  /** Stops following (the runs keep going on their boxes and are picked up by the next console). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const running = [...this.active.values()];
    for (const run of running) run.abort.abort();
    // A push in progress cannot be interrupted; do not hold the shutdown for it.
    await Promise.race([
      Promise.all(running.map((run) => run.done)),
      new Promise((resolve) => setTimeout(resolve, 5_000).unref()),
    ]);
    this.store.dispose();
  }

  private localDir(id: string): string {
    return join(this.options.localDir, id);
  }

  /** Runs a run's job in the background; its failure becomes the run's reason. */
  private drive(id: string, job: (step: JobStep) => Promise<void>): void {
    const abort = new AbortController();
    const done = (async () => {
      const run = this.store.require(id);
      let host: TrainerHost;
      try {
        host = this.options.hosts.resolve(run.hostId);
      } catch {
        this.finish(id, { state: 'failed', reason: `The trainer host "${run.hostId}" is no longer in Settings.` });
        return;
      }
      try {
        await job(this.stepFor(run, host, abort.signal));
      } catch (error) {
        if (this.disposed || error instanceof JobStopped || abort.signal.aborted) return;
        this.finish(id, { state: 'failed', reason: failureReason(error, host) });
      }
    })();
    this.active.set(id, { abort, done });
    void done.finally(() => {
      if (this.active.get(id)?.done === done) this.active.delete(id);
    });
  }

  private stepFor(run: RunRecord, host: TrainerHost, signal: AbortSignal): JobStep {
    return {
      run,
      host,
      ssh: this.options.ssh,
      signal,
      note: (text) => this.note(run.id, text),
      advance: (patch) => {
        if (this.disposed || signal.aborted) throw new JobStopped();
        const current = this.store.require(run.id);
        if (FINISHED_RUN_STATES.includes(current.state)) throw new JobStopped();
        this.store.update(run.id, patch);
      },
      retrying: (what, attempt) =>
        withRetry(attempt, {
          delaysMs: this.tuning.retryDelaysMs,
          signal,
          isRetryable: isTransientLinkFailure,
          onRetry: (error, delay) => {
            const text = `${what} failed (${errorMessage(error)}); again in ${Math.max(1, Math.round(delay / 1000))} s`;
            this.note(run.id, text);
            this.store.update(run.id, { detail: text });
          },
        }),
    };
  }

  /** Follows the trainer on the box to its end, then finishes the run by its exit status. */
  private async watch(step: JobStep): Promise<void> {
    const { run, host } = step;
    const outcome = await followRun(
      { ssh: this.options.ssh, host, runDir: run.remoteDir, eventsFile: EVENTS_FILE[run.kind] },
      this.followHandlers(step),
      this.tuning,
      step.signal,
    );
    if (outcome.kind === 'stopped') return;
    if (outcome.kind === 'refused') throw outcome.error;
    const stopReason = this.store.require(run.id).stopReason;
    if (outcome.kind === 'lost') {
      if (stopReason) return void this.finish(run.id, { state: 'cancelled', reason: stopReason });
      const resumes = this.resumes.get(run.id) ?? 0;
      if (run.kind === 'train' && resumes < MAX_RESUMES) {
        this.resumes.set(run.id, resumes + 1);
        this.note(
          run.id,
          `The trainer on ${host.name} ended without an exit status (the box restarted, or its process was killed): ` +
            'starting it again, from its last checkpoint',
        );
        await resumeTraining(step, { detach: this.tuning.detach, extraArgs: this.tuning.extraTrainerArgs });
        return this.watch({ ...step, run: this.store.require(run.id) });
      }
      throw new RunFailure(
        `The trainer on ${host.name} ended without an exit status (the box restarted, or its process was killed); ` +
          `its last checkpoint is in ${run.remoteDir}.`,
      );
    }
    const { code, errorLine } = outcome;
    this.note(run.id, `The trainer exited with status ${code}`);
    if (code === 0) return run.kind === 'train' ? this.collectModel(step) : this.collectGenerated(step);
    if (code === 143 || code === 130) {
      const stopped = stopReason ?? `Stopped on ${host.name} (signal)`;
      // The scenes made before the stop are whole files on the box: they are worth having.
      if (run.kind === 'synthetic') return this.collectGenerated(step, stopped);
      return void this.finish(run.id, {
        state: 'cancelled',
        reason: `${stopped}; the trainer saved a checkpoint in ${run.remoteDir}.`,
      });
    }
    const message = errorLine ? parseTrainerEvent(errorLine) : null;
    const said = message?.kind === 'error' ? message.message : 'it reported no error';
    const tail = this.store.trainerTail(run.id, 3).join(' | ');
    throw new RunFailure(
      `train.py failed with exit status ${code}: ${said}.${tail ? ` Last lines of its log: ${tail}` : ''}`,
    );
  }

  private followHandlers(step: JobStep): FollowHandlers {
    const id = step.run.id;
    return {
      position: () => this.store.require(id),
      metrics: (lines) => {
        let { progress } = this.store.require(id);
        const points: MetricsPoint[] = [];
        for (const { line, text } of lines) {
          const event = parseTrainerEvent(text);
          progress = advanceProgress(progress, event, progress?.stepsTotal ?? null);
          if (event.kind === 'step') points.push({ line, kind: 'step', point: event.point });
          else if (event.kind === 'epoch') points.push({ line, kind: 'epoch', point: event.point });
          else points.push({ line, kind: 'other' });
          if (event.kind === 'start' && event.resumedFromStep !== null)
            this.note(id, `The trainer resumed from its checkpoint at step ${event.resumedFromStep}`);
        }
        const stopping = this.store.require(id).stopReason !== null;
        this.store.addPoints(id, points, { progress, ...(stopping ? {} : { detail: describeProgress(progress) }) });
      },
      log: (lines) => this.store.appendLog(id, 'trainer', lines),
      gpu: (gpu) => this.store.update(id, { gpu }),
      attached: async (reattach) => {
        const run = this.store.require(id);
        if (reattach) {
          this.note(id, `Link to ${step.host.name} is back: following from metrics line ${run.metricsLines + 1}`);
          this.store.update(id, { detail: run.stopReason ? 'Stopping' : describeProgress(run.progress) });
        }
        // A stop asked for while the link was down (or before a restart) goes now.
        if (run.stopReason) await this.sendStop(id);
      },
      linkDown: (error, retryInMs, attempt) => {
        const seconds = Math.max(1, Math.round(retryInMs / 1000));
        const text = `Link to ${step.host.name} lost (${error.message}); reconnecting in ${seconds} s (attempt ${attempt})`;
        this.note(id, text);
        this.store.update(id, { detail: text });
      },
    };
  }

  /** Pulls the model (retrying a dropped link) and hands it to the registry. */
  private async collectModel(step: JobStep): Promise<void> {
    const id = step.run.id;
    step.advance({ detail: 'Pulling the model', gpu: null });
    const dir = await step.retrying('Pulling the model', () => pullModel(step, this.localDir(id)));
    step.advance({ detail: 'Adding the model to the registry' });
    const model = await this.options.models.addTrained(dir, { runId: id, hostId: step.host.id });
    // The registry keeps its own copy.
    await rm(dir, { recursive: true, force: true });
    const last = this.store.metrics(id).epochs.at(-1);
    const scores =
      last && last.valAccuracy !== null
        ? `: validation accuracy ${(last.valAccuracy * 100).toFixed(1)} %, MCC ${last.valMcc?.toFixed(3) ?? '?'}`
        : '';
    this.note(id, `Model ${model.id} added to the registry`);
    this.finish(id, { state: 'done', modelId: model.id, detail: `Done${scores}` });
    await this.tidyBox(step);
  }

  /** After a run is done, the box keeps only what the newest finished runs use. */
  private async tidyBox(step: JobStep): Promise<void> {
    const { host, run } = step;
    const plan = cleanupPlan(this.store.list(), host, this.tuning.keepFinishedRuns);
    if (plan.runDirs.length + plan.datasetDirs.length === 0) return;
    try {
      await cleanBox(this.options.ssh, host, plan);
      this.note(
        run.id,
        `Removed ${plan.runDirs.length} older run folders and ${plan.datasetDirs.length} datasets from ${host.name}, ` +
          `keeping the ${this.tuning.keepFinishedRuns} newest finished runs`,
      );
    } catch (error) {
      this.note(run.id, `Old runs could not be removed from ${host.name}: ${(error as Error).message}`);
    }
  }

  /** Pulls the generated images (retrying a dropped link) into the hard cases. */
  /** Pulls the generated images into the hard cases: all of them, or (stopped) those made before the stop. */
  private async collectGenerated(step: JobStep, stopped?: string): Promise<void> {
    const id = step.run.id;
    step.advance({ detail: 'Pulling the generated images', gpu: null });
    const result = await step.retrying('Pulling the generated images', () =>
      importGeneratedRun(step, this.localDir(id), this.options.hardCases),
    );
    for (const { file, reason } of result.refused.slice(0, 20)) this.note(id, `Not imported: ${file}: ${reason}`);
    const refused = result.refused.length > 0 ? `, ${result.refused.length} refused` : '';
    const detail = `Imported ${result.added} generated images (${result.duplicates} already there${refused})`;
    if (stopped) {
      this.finish(id, {
        state: 'cancelled',
        imported: result.added,
        detail,
        reason: `${stopped}; ${detail.toLowerCase()}.`,
      });
      return;
    }
    this.finish(id, { state: 'done', imported: result.added, detail });
    await this.tidyBox(step);
  }

  private async sendStop(id: string): Promise<void> {
    const run = this.store.require(id);
    try {
      const host = this.options.hosts.resolve(run.hostId);
      const result = await this.options.ssh.exec(host, stopCommand(run.remoteDir), { timeoutMs: 30_000 });
      const answer = result.stdout.trim();
      if (answer === 'signalled') this.note(id, 'SIGTERM sent to the trainer');
      else if (answer === 'gone') this.note(id, 'The trainer is no longer running on the box');
    } catch (error) {
      this.note(
        id,
        `Could not reach the box to stop the trainer (${errorText(error)}); it is sent when the link is back`,
      );
    }
  }

  /** Ends a run (unless it has ended already); returns the run as written, or null. */
  private finish(id: string, patch: RunPatch & { state: 'done' | 'failed' | 'cancelled' }): RunRecord | null {
    const current = this.store.get(id);
    if (!current || FINISHED_RUN_STATES.includes(current.state)) return null;
    const detail = patch.detail ?? { done: 'Done', failed: 'Failed', cancelled: 'Cancelled' }[patch.state];
    const ended = this.store.update(id, { ...patch, detail, gpu: null, endedAt: new Date().toISOString() });
    this.note(id, patch.reason ? `${detail}: ${patch.reason}` : detail);
    return ended;
  }

  private note(id: string, text: string): void {
    this.store.appendLog(id, 'console', [text]);
    this.options.log?.info(`run ${id}: ${text}`);
  }
}

function describeProgress(progress: RunProgress | null): string {
  if (!progress) return 'Training';
  const of = progress.stepsTotal ? ` of ${progress.stepsTotal}` : '';
  return `Epoch ${progress.epoch}, step ${progress.step}${of}`;
}

/** A failure as the run's reason: what the operator can act on. */
function failureReason(error: unknown, host: TrainerHost): string {
  if (error instanceof SshError && error.kind === 'host-key-unknown') {
    return `${error.message} (Settings → Trainer hosts → ${host.name})`;
  }
  return errorText(error);
}

function errorText(error: unknown): string {
  if (error instanceof Error) return lastLines(error.message, 5) || error.name;
  return String(error);
}

/** Sortable, readable, unique enough: 20250611-230001-3fa2. */
function newRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}
