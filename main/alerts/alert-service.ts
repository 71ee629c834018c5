/**
 * Gathers the alerts worth waking up for from the services' own events: the miner's status, the
 * metagraph view (rank, deregistration risk, where the axon is advertised), the model registry
 * (the live model's age), the training runs, and a periodic self-check of the axon from its
 * public address. Each source says which conditions hold now; the service raises an alert for a
 * condition that starts to hold, resolves it when it ends, keeps both on disk, and hands new
 * ones to the desktop notifier through a rate-limiting gate. It also remembers, across restarts,
 * whether and where the miner was serving (so the host can resume it) and when it last served
 * (a heartbeat), so a downtime the console did not see is an alert once the miner is back.
 */
import type { CommandHandlers, Disposable, StreamSources } from '../../shared/contract.js';
import { ALERT_SWITCH, ALERT_TITLES, type Alert, type AlertKind } from '../../shared/domain/alerts.js';
import type { MetagraphView, StandingAlert } from '../../shared/domain/metagraph.js';
import type { MinerState, MinerStatus, MinerStopReason } from '../../shared/domain/miner.js';
import type { ModelRegistryView } from '../../shared/domain/model-registry.js';
import type { Settings } from '../../shared/domain/settings.js';
import type { TrainingRun } from '../../shared/domain/training.js';
import { Emitter } from '../base/emitter.js';
import { advertisedAxon } from '../chain/standing-alerts.js';
import type { Logger } from '../log/log-service.js';
import type { Db } from '../store/database.js';
import { AlertStore, type Condition } from './alert-store.js';
import { axonConditions, axonTarget, checkAxon, type AxonCheck, type AxonTarget } from './axon-self-check.js';
import { minerConditions } from './miner-conditions.js';
import { downtimeCondition, parseServedOn, resumesOn } from './miner-downtime.js';
import { modelAgeConditions } from './model-age-conditions.js';
import { DEFAULT_GATE_LIMITS, NotificationGate, type GateLimits } from './notification-gate.js';
import { NO_NOTIFIER, type Notifier } from './notifier.js';
import { standingConditions, type RankDropData } from './standing-conditions.js';
import { trainingConditions } from './training-conditions.js';
import { errorMessage } from '../../shared/errors.js';

type Subscribe<T> = (emit: (value: T) => void) => Disposable;

/** Where the alerts come from: each service's stream, as the host has them. */
export interface AlertSources {
  settings: { get(): Settings; onDidChange(listener: (settings: Settings) => void): Disposable };
  minerStatus: Subscribe<MinerStatus>;
  metagraphView: Subscribe<MetagraphView>;
  modelRegistry: Subscribe<ModelRegistryView>;
  trainingRuns: Subscribe<readonly TrainingRun[]>;
}

export interface AlertServiceOptions {
  db: Db;
  sources: AlertSources;
  log: Logger;
  /** The shell's desktop notifications; none headless (the renderer shows web notifications). */
  notifier?: Notifier;
  /** Tests plant the date (model age) and step it (rate limits). */
  now?: () => Date;
  gateLimits?: GateLimits;
  /** How often the axon is checked and the model's age looked at again; 0: only on events. */
  recheckEveryMs?: number;
  checkAxon?: (target: AxonTarget | null) => Promise<AxonCheck>;
  /**
   * The host starts the miner again by itself when it was serving on the network the settings
   * name (Settings, resume on start): until that start ends, its being stopped is no alert.
   */
  resumeMiner?: boolean;
  /** How often a serving miner's heartbeat is written: a downtime starts at the last one. */
  heartbeatEveryMs?: number;
}

const MINER_KINDS: AlertKind[] = ['miner-stopped', 'miner-error'];
const AXON_CHECK_KINDS: AlertKind[] = ['axon-unreachable', 'axon-unchecked'];
const STANDING_KINDS: AlertKind[] = ['rank-drop', 'deregistration-risk', 'axon-mismatch'];
/** The alerts about something already over: resolved when acknowledged, not by a condition. */
const EVENT_KINDS: AlertKind[] = ['miner-downtime'];
/** 'yes' while the miner serves; 'no' after the operator's Stop or a clean shutdown. */
const MEANT_TO_SERVE = 'miner.meantToServe';
/** Where it served (JSON), kept through a clean shutdown and cleared by the operator's Stop. */
const SERVED_ON = 'miner.servedOn';
/** When it was last known to serve (ISO): written on serving and every heartbeat. */
const LAST_SERVING = 'miner.lastServing';

export class AlertService {
  private readonly store: AlertStore;
  private readonly changed = new Emitter<void>();
  private readonly gate: NotificationGate;
  private readonly now: () => Date;
  private readonly notifier: Notifier;
  private readonly subscriptions: Disposable[];
  private readonly timer: NodeJS.Timeout | null;
  private miner: MinerStatus | null = null;
  private view: MetagraphView | null = null;
  private registry: ModelRegistryView | null = null;
  private runs: readonly TrainingRun[] | null = null;
  private readonly seenStandingAlerts = new WeakSet<StandingAlert>();
  private previousRank: number | null = null;
  private axonChecks = 0;
  private disposed = false;
  /** The console went away while the miner served (no clean close): since when, if known. */
  private downtime: { from: Date | null } | null;
  /** The host's start of the miner on resume has not ended yet. */
  private resuming: boolean;
  private heartbeat: NodeJS.Timeout | null = null;
  /** Whether the host should start the miner now: see AlertServiceOptions.resumeMiner. */
  readonly resumesMiner: boolean;

  constructor(private readonly options: AlertServiceOptions) {
    this.store = new AlertStore(options.db);
    this.now = options.now ?? (() => new Date());
    // Read before the miner's first status below, which starts writing them anew.
    const lastServing = this.store.recall(LAST_SERVING);
    this.downtime =
      this.store.recall(MEANT_TO_SERVE) === 'yes' ? { from: lastServing ? new Date(lastServing) : null } : null;
    this.resumesMiner =
      (options.resumeMiner ?? false) &&
      resumesOn(parseServedOn(this.store.recall(SERVED_ON)), options.sources.settings.get());
    this.resuming = this.resumesMiner;
    this.gate = new NotificationGate(this.now, options.gateLimits ?? DEFAULT_GATE_LIMITS);
    this.notifier = options.notifier ?? NO_NOTIFIER;
    const { sources } = options;
    this.subscriptions = [
      sources.minerStatus((status) => this.onMinerStatus(status)),
      sources.metagraphView((view) => this.onMetagraphView(view)),
      sources.modelRegistry((registry) => {
        this.registry = registry;
        this.evaluateModelAge();
      }),
      sources.trainingRuns((runs) => {
        this.runs = runs;
        this.evaluateTraining();
      }),
      // A kind switched off resolves its alerts; switched on, its conditions are judged again.
      sources.settings.onDidChange(() => void this.reevaluate()),
    ];
    const every = options.recheckEveryMs ?? 10 * 60_000;
    this.timer = every > 0 ? setInterval(() => void this.refresh(), every) : null;
    this.timer?.unref();
  }

  /** The alerts whose condition holds, newest first. */
  active(): Alert[] {
    return this.store.active().map((stored) => stored.alert);
  }

  /** Judges what depends on time and on the outside world again: the model's age, the axon. */
  async refresh(): Promise<void> {
    this.evaluateModelAge();
    await this.checkAxonNow();
  }

  handlers(): CommandHandlers<'alerts.list' | 'alerts.acknowledge'> {
    return {
      'alerts.list': ({ limit }) => Promise.resolve(this.store.recent(limit)),
      'alerts.acknowledge': ({ id }) => {
        const at = this.now().toISOString();
        let alert = this.store.acknowledge(id, at);
        if (alert?.state === 'active' && EVENT_KINDS.includes(alert.kind)) {
          // Seen: an alert about something already over has nothing left to wait for.
          this.store.resolve(alert.id, at);
          alert = this.store.get(alert.id);
        }
        if (alert) this.changed.fire();
        return Promise.resolve(alert);
      },
    };
  }

  streams(): StreamSources<'alerts.active'> {
    return {
      'alerts.active': (_params, emit) => {
        emit(this.active());
        return this.changed.event(() => emit(this.active()));
      },
    };
  }

  /** A clean shutdown: the operator closed the console, so a miner it stops is no surprise. */
  dispose(): void {
    this.disposed = true;
    for (const subscription of this.subscriptions) subscription.dispose();
    if (this.timer) clearInterval(this.timer);
    this.stopHeartbeat();
    this.store.remember(MEANT_TO_SERVE, 'no');
    this.changed.dispose();
  }

  private onMinerStatus(status: MinerStatus): void {
    const before: MinerState | null = this.miner?.state ?? null;
    const stoppedBefore = this.miner?.stoppedBy ?? null;
    this.miner = status;
    if (status.stoppedBy !== stoppedBefore) this.onStopReason(status.stoppedBy);
    if (status.state === before) {
      // The operator's Stop of a miner that was not serving (after a failed start, say).
      if (status.stoppedBy !== stoppedBefore) this.evaluateMiner(status);
      return;
    }
    const resumedByItself = this.resuming;
    if (status.state === 'serving' || status.state === 'error') this.resuming = false;
    if (status.state === 'serving') {
      this.store.remember(MEANT_TO_SERVE, 'yes');
      this.store.remember(SERVED_ON, JSON.stringify({ network: status.network, netuid: status.netuid }));
      this.startHeartbeat();
      if (this.downtime) {
        this.raiseEvent(downtimeCondition(this.downtime.from, this.now(), resumedByItself));
        this.downtime = null;
      }
    } else {
      this.stopHeartbeat();
    }
    this.evaluateMiner(status);
    if (status.state === 'serving' || before === 'serving') void this.checkAxonNow();
  }

  /** Why the miner stopped, as its status says: neither the operator's Stop nor a shutdown is an alert. */
  private onStopReason(reason: MinerStopReason | null): void {
    if (reason === 'operator') {
      this.store.remember(MEANT_TO_SERVE, 'no');
      // Stopped on purpose: not resumed at the next start either.
      this.store.remember(SERVED_ON, '');
      this.resuming = false;
    } else if (reason === 'shutdown') {
      // A clean shutdown: resumed at the next start (SERVED_ON stays), with no downtime alert.
      this.store.remember(MEANT_TO_SERVE, 'no');
    }
  }

  private onMetagraphView(view: MetagraphView): void {
    this.view = view;
    const raised = view.alerts.filter((alert) => !this.seenStandingAlerts.has(alert));
    for (const alert of view.alerts) this.seenStandingAlerts.add(alert);
    this.evaluateStanding(raised);
  }

  private reevaluate(): void {
    this.resolveEventsSwitchedOff();
    if (this.miner) this.evaluateMiner(this.miner);
    this.evaluateStanding([]);
    this.evaluateModelAge();
    this.evaluateTraining();
    void this.checkAxonNow();
  }

  private evaluateMiner(status: MinerStatus): void {
    // A miner the host is starting again is not one that stopped by itself (yet).
    const meantToServe = this.store.recall(MEANT_TO_SERVE) === 'yes' && !this.resuming;
    this.sync(MINER_KINDS, minerConditions(status, meantToServe));
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.beat();
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatEveryMs ?? 30_000);
    this.heartbeat.unref();
  }

  private beat(): void {
    if (this.disposed) return;
    try {
      this.store.remember(LAST_SERVING, this.now().toISOString());
    } catch (error) {
      // The database is gone (a full disk, a host torn down without closing): a downtime will
      // count from the last heartbeat written, and the miner goes on.
      this.stopHeartbeat();
      this.options.log.warn(`The miner's heartbeat could not be written: ${errorMessage(error)}`);
    }
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private evaluateStanding(raised: StandingAlert[]): void {
    const view = this.view;
    // A reading no longer refreshed says nothing new about rank or risk; where the axon is
    // advertised matters only while it serves.
    if (!view?.live || !view.standing) {
      this.sync(['axon-mismatch'], []);
      return;
    }
    const rankDrop = this.store.active().find((stored) => stored.key === 'rank-drop')?.data as RankDropData | undefined;
    this.sync(
      STANDING_KINDS,
      standingConditions({
        view,
        raised,
        previousRank: this.previousRank,
        rankDrop: rankDrop ?? null,
        servingAt: this.servingAt(view),
      }),
    );
    this.previousRank = view.standing.rank;
  }

  /** Where the chain should advertise the axon: the public IP in Settings (the local subnet advertises its own). */
  private servingAt(view: MetagraphView): { ip: string; port: number } | null {
    const ip = this.options.sources.settings.get().axon.externalIp;
    return view.source === 'chain' && ip && this.miner ? { ip, port: this.miner.axonPort } : null;
  }

  private evaluateModelAge(): void {
    if (this.registry) this.sync(['model-age'], modelAgeConditions(this.registry, this.now()));
  }

  private evaluateTraining(): void {
    if (this.runs) this.sync(['training-failed'], trainingConditions(this.runs));
  }

  private async checkAxonNow(): Promise<void> {
    const status = this.miner;
    const attempt = ++this.axonChecks;
    if (status?.state !== 'serving') {
      this.sync(AXON_CHECK_KINDS, []);
      return;
    }
    const view = this.view;
    const advertised = view?.metagraph && view.ourHotkey ? advertisedAxon(view.metagraph, view.ourHotkey) : null;
    // On the local subnet the public IP in Settings is not where its validators call.
    const externalIp = status.network === 'local' ? null : this.options.sources.settings.get().axon.externalIp;
    const check = await (this.options.checkAxon ?? checkAxon)(axonTarget(externalIp, status.axonPort, advertised));
    // A newer check, a stop or a shutdown while this one waited makes its answer stale.
    if (this.disposed || attempt !== this.axonChecks || this.miner?.state !== 'serving') return;
    this.sync(AXON_CHECK_KINDS, axonConditions(check));
  }

  /** The core: for these kinds, raise what holds and is not active yet, resolve what no longer holds. */
  private sync(kinds: readonly AlertKind[], holding: readonly Condition[]): void {
    if (this.disposed) return;
    const settings = this.options.sources.settings.get();
    const enabled = holding.filter((condition) => settings.alerts[ALERT_SWITCH[condition.kind]]);
    const active = this.store.active().filter((stored) => kinds.includes(stored.alert.kind));
    const at = this.now().toISOString();
    let changed = false;
    for (const stored of active) {
      if (enabled.some((condition) => condition.key === stored.key)) continue;
      this.store.resolve(stored.alert.id, at);
      this.options.log.info(`Alert resolved: ${stored.alert.message}`);
      changed = true;
    }
    for (const condition of enabled) {
      if (active.some((stored) => stored.key === condition.key)) continue;
      this.raise(condition, at);
      changed = true;
    }
    if (changed) this.changed.fire();
  }

  /** An alert about something already over: raised once, resolved when acknowledged (or switched off). */
  private raiseEvent(condition: Condition): void {
    if (this.disposed || !this.options.sources.settings.get().alerts[ALERT_SWITCH[condition.kind]]) return;
    if (this.store.active().some((stored) => stored.key === condition.key)) return;
    this.raise(condition, this.now().toISOString());
    this.changed.fire();
  }

  private resolveEventsSwitchedOff(): void {
    const switches = this.options.sources.settings.get().alerts;
    const at = this.now().toISOString();
    let changed = false;
    for (const stored of this.store.active()) {
      if (!EVENT_KINDS.includes(stored.alert.kind) || switches[ALERT_SWITCH[stored.alert.kind]]) continue;
      this.store.resolve(stored.alert.id, at);
      changed = true;
    }
    if (changed) this.changed.fire();
  }

  private raise(condition: Condition, at: string): void {
    const alert = this.store.raise(condition, at);
    this.options.log[condition.severity === 'info' ? 'info' : 'warn'](`Alert: ${condition.message}`);
    if (this.options.sources.settings.get().alerts.notify) this.notify(condition, alert, at);
  }

  private notify(condition: Condition, alert: Alert, at: string): void {
    const verdict = this.gate.admit(condition.key, condition.severity);
    if (!verdict.notify) return;
    this.store.markNotified(alert.id, at);
    const more = verdict.heldBack > 0 ? ` (and ${verdict.heldBack} more in the console)` : '';
    try {
      this.notifier.show({
        title: ALERT_TITLES[alert.kind],
        body: `${alert.message}${more}`,
        severity: alert.severity,
      });
    } catch (error) {
      // The in-app list still has it; a desktop that refuses notifications must not lose the alert.
      this.options.log.error(`A desktop notification failed: ${errorMessage(error)}`);
    }
  }
}
