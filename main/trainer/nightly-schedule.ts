/**
 * The nightly schedule: inside `settings.schedule`'s window (local time, see `nightly-window.ts`)
 * start one training run when it is worth it, and stop that run when the window ends (the trainer
 * checkpoints on SIGTERM, so a later run resumes from there).
 *
 * How the jobs side wires it (main/host.ts or the training service):
 *
 * ```ts
 * const scheduler = new NightlyScheduler({
 *   settings,                                    // SettingsService: get() + onDidChange
 *   state: NightlyStateFile.inDataDir(dataDir),  // remembers the window it started in
 *   log: logs.forSource('schedule'),
 *   shouldStart: async () => ({ start: newLabels >= min && !active, reason: '…' }),
 *   startRun: async () => runId,                 // the run it started, to stop at the window's end
 *   stopRun: async (runId) => { … },             // SIGTERM; must be a no-op for a run already over
 * });
 * await scheduler.start();
 * …
 * scheduler.dispose();
 * ```
 *
 * Rules:
 * - At most one start per window (the window's key, its local start date, is on disk before
 *   `startRun` is called, so a restart inside the window does not start again). A start that
 *   throws frees the window again and is retried after `recheckMs`.
 * - While `shouldStart` says no, it is asked again every `recheckMs` until the window ends (labels
 *   keep coming in during the night).
 * - The run it started is stopped when the window that holds it ends, as the settings now say:
 *   editing the end time moves the stop, and times that leave "now" outside that window stop it at
 *   once. Turning the schedule off starts nothing more but lets the run finish its window (the
 *   end it was started with). A console that was closed past the end stops the run when it opens.
 * - It never sleeps longer than `maxSleepMs` at a time, so a suspended laptop or a clock change
 *   is noticed within that long.
 */
import type { Disposable } from '../../shared/contract.js';
import type { Settings } from '../../shared/domain/settings.js';
import { Emitter } from '../base/emitter.js';
import type { Logger } from '../log/log-service.js';
import { EMPTY_NIGHTLY_STATE, type NightlyState, type NightlyStateFile } from './nightly-state.js';
import { nextWindowStart, windowAt, type NightlyWindow } from './nightly-window.js';
import { errorMessage } from '../../shared/errors.js';

/** The time source and timers, injected so tests move time by hand. */
export interface SchedulerClock {
  now(): number;
  /** Calls `fire` after `ms`; the function returned cancels it. */
  setTimer(ms: number, fire: () => void): () => void;
}

export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  setTimer: (ms, fire) => {
    const timer = setTimeout(fire, ms);
    timer.unref(); // a pending wake-up must not keep a headless process alive
    return () => clearTimeout(timer);
  },
};

export interface StartDecision {
  start: boolean;
  /** Why (shown to the operator), e.g. "140 new labels since the last run; 200 wanted". */
  reason: string;
}

export interface NightlySchedulerOptions {
  settings: { get(): Settings; onDidChange(listener: (settings: Settings) => void): Disposable };
  state: NightlyStateFile;
  log: Logger;
  shouldStart(): Promise<StartDecision>;
  /** Starts a run; resolves with its id once it has started. */
  startRun(): Promise<string>;
  /** Asks the run to stop (SIGTERM: it checkpoints). Called for a run that may have ended already. */
  stopRun(runId: string): Promise<void>;
  clock?: SchedulerClock;
  /** How long to wait before asking `shouldStart` again, or retrying a failed start or stop. */
  recheckMs?: number;
  maxSleepMs?: number;
}

export interface NightlyStatus {
  enabled: boolean;
  /** The window now open, or the next one; null when the window is empty (start == end). */
  window: { start: string; end: string; open: boolean } | null;
  /** The run the scheduler started and will stop at the window's end. */
  activeRunId: string | null;
  /** Whether this window (when open) has had its run. */
  startedThisWindow: boolean;
  /** The last answer of `shouldStart`, or the last failure, with when. */
  lastDecision: { at: string; start: boolean; reason: string } | null;
}

export const DEFAULT_RECHECK_MS = 10 * 60_000;
export const DEFAULT_MAX_SLEEP_MS = 15 * 60_000;

export class NightlyScheduler {
  private readonly clock: SchedulerClock;
  private readonly recheckMs: number;
  private readonly maxSleepMs: number;
  private readonly onDidChangeEmitter = new Emitter<NightlyStatus>();
  /** Fires with the new status after each decision, start or stop. */
  readonly onDidChange = this.onDidChangeEmitter.event;
  private state: NightlyState = EMPTY_NIGHTLY_STATE;
  private lastDecision: NightlyStatus['lastDecision'] = null;
  /** The window whose "no run" has been logged at info level already. */
  private toldWindow: string | null = null;
  private cancelTimer: (() => void) | null = null;
  private settingsSubscription: Disposable | null = null;
  /** Ticks run one after another; this is the latest. */
  private ticking: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(private readonly options: NightlySchedulerOptions) {
    this.clock = options.clock ?? systemClock;
    this.recheckMs = options.recheckMs ?? DEFAULT_RECHECK_MS;
    this.maxSleepMs = options.maxSleepMs ?? DEFAULT_MAX_SLEEP_MS;
  }

  /** Reads the remembered state, then acts on the current time and settings and keeps doing so. */
  async start(): Promise<void> {
    this.state = await this.options.state.load(this.options.log);
    this.settingsSubscription = this.options.settings.onDidChange(() => this.wake());
    this.wake();
    await this.whenIdle();
  }

  /** Resolves once the decision in progress (if any) is made: for tests and an orderly shutdown. */
  async whenIdle(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.ticking;
      await seen;
    } while (seen !== this.ticking);
  }

  status(): NightlyStatus {
    const schedule = this.options.settings.get().schedule;
    const now = new Date(this.clock.now());
    const open = windowAt(schedule, now);
    const next = open ? null : nextWindowStart(schedule, now);
    const shown = open ?? (next ? windowAt(schedule, next) : null);
    return {
      enabled: schedule.enabled,
      window: shown ? { start: shown.start.toISOString(), end: shown.end.toISOString(), open: open !== null } : null,
      activeRunId: this.state.run?.id ?? null,
      startedThisWindow: open !== null && open.key === this.state.lastWindow,
      lastDecision: this.lastDecision,
    };
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer?.();
    this.settingsSubscription?.dispose();
    this.onDidChangeEmitter.dispose();
  }

  private wake(): void {
    if (this.disposed) return;
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.ticking = this.ticking.then(() => this.tick());
  }

  private async tick(): Promise<void> {
    if (this.disposed) return;
    let wakeAt: number;
    try {
      wakeAt = await this.decide();
    } catch (error) {
      // Only the state file can land here (a full disk): say so and try again later.
      this.options.log.error(`Nightly schedule: ${describe(error)}`);
      wakeAt = this.clock.now() + this.recheckMs;
    }
    if (this.disposed) return;
    this.onDidChangeEmitter.fire(this.status());
    const now = this.clock.now();
    const delay = Math.max(0, Math.min(wakeAt - now, this.maxSleepMs));
    this.cancelTimer = this.clock.setTimer(delay, () => this.wake());
  }

  /** One look at the clock: stop what is due, start what is due; returns when to look again. */
  private async decide(): Promise<number> {
    const schedule = this.options.settings.get().schedule;
    const now = new Date(this.clock.now());
    const window = windowAt(schedule, now);
    const wakes: number[] = [];

    if (this.state.run) {
      const stopAt = this.stopTime(schedule, window);
      if (stopAt <= now.getTime()) wakes.push(await this.stopActiveRun());
      else wakes.push(stopAt);
    }

    if (schedule.enabled && window && window.key !== this.state.lastWindow && !this.state.run) {
      wakes.push(await this.maybeStart(window));
    } else if (window) {
      wakes.push(window.end.getTime());
    } else {
      const next = nextWindowStart(schedule, now);
      if (next) wakes.push(next.getTime());
    }
    return wakes.length > 0 ? Math.min(...wakes) : now.getTime() + this.maxSleepMs;
  }

  /** When the run it started is due to stop (see the rules above). */
  private stopTime(schedule: Settings['schedule'], open: NightlyWindow | null): number {
    const run = this.state.run!;
    if (!schedule.enabled) return Date.parse(run.stopAt);
    return open && open.key === this.state.lastWindow ? open.end.getTime() : this.clock.now();
  }

  private async stopActiveRun(): Promise<number> {
    const run = this.state.run!;
    try {
      await this.options.stopRun(run.id);
    } catch (error) {
      this.options.log.error(
        `Nightly schedule: the window is over but run ${run.id} could not be stopped: ${describe(error)}`,
      );
      return this.clock.now() + this.recheckMs;
    }
    this.options.log.info(`Nightly schedule: the window is over; run ${run.id} was asked to stop (it checkpoints).`);
    await this.save({ ...this.state, run: null });
    return this.clock.now();
  }

  private async maybeStart(window: NightlyWindow): Promise<number> {
    const retry = () => Math.min(this.clock.now() + this.recheckMs, window.end.getTime());
    let decision: StartDecision;
    try {
      decision = await this.options.shouldStart();
    } catch (error) {
      this.decided(window, false, `could not tell whether to start: ${describe(error)}`, 'warn');
      return retry();
    }
    this.decided(window, decision.start, decision.reason);
    if (!decision.start) return retry();

    const before = this.state;
    // On disk before the run exists: a crash after this point never starts a second run tonight.
    await this.save({ lastWindow: window.key, run: null });
    let runId: string;
    try {
      runId = await this.options.startRun();
    } catch (error) {
      this.decided(window, false, `the run could not be started: ${describe(error)}`, 'warn');
      await this.save(before);
      return retry();
    }
    await this.save({ lastWindow: window.key, run: { id: runId, stopAt: window.end.toISOString() } });
    this.options.log.info(
      `Nightly schedule: started run ${runId} (${decision.reason}); it stops at ${window.end.toISOString()}.`,
    );
    return window.end.getTime();
  }

  /** Kept for `status()` and logged: a "no" once per window at info (it repeats every recheck), failures as warnings. */
  private decided(window: NightlyWindow, start: boolean, reason: string, level?: 'warn'): void {
    this.lastDecision = { at: new Date(this.clock.now()).toISOString(), start, reason };
    const message = `Nightly schedule: ${start ? 'starting a run' : 'no run yet'}: ${reason}`;
    if (level === 'warn') this.options.log.warn(message);
    else if (start || this.toldWindow !== window.key) this.options.log.info(message);
    else this.options.log.debug(message);
    this.toldWindow = window.key;
  }

  /** Memory first: should the disk refuse, the scheduler still knows (and stops) the run it started. */
  private async save(state: NightlyState): Promise<void> {
    this.state = state;
    await this.options.state.save(state);
  }
}

function describe(error: unknown): string {
  return errorMessage(error);
}
