/**
 * The metagraph the console shows, whichever source feeds it (the local subnet or the live
 * chain), with our standing in it. The miner attaches a source when it starts; the last view
 * stays on screen after it stops. Each new tempo's standing goes into the history.
 */
import type { CommandHandlers, Disposable, StreamSources } from '../../shared/contract.js';
import {
  EMPTY_METAGRAPH_VIEW,
  type Metagraph,
  type MetagraphView,
  type SubnetParams,
} from '../../shared/domain/metagraph.js';
import { Emitter } from '../base/emitter.js';
import type { MetagraphHistory } from './metagraph-history.js';
import { standingOf } from './standing.js';
import { standingAlerts } from './standing-alerts.js';

/** A fall of more than this many places in one reading raises an alert. */
const RANK_DROP_PLACES = 5;
const ALERTS_KEPT = 50;

export interface MetagraphSource {
  readonly current: Metagraph;
  onDidChange(listener: (metagraph: Metagraph) => void): Disposable;
}

export class MetagraphService {
  private view: MetagraphView = EMPTY_METAGRAPH_VIEW;
  private readonly changes = new Emitter<MetagraphView>();
  private attached: Disposable | null = null;
  private lastRecordedTempo = -1;
  private mismatch = false;

  constructor(private readonly history: MetagraphHistory) {}

  /** The live subnet's miner incentives as last read (the local subnet fits its peers to them). */
  liveIncentives(netuid: number): number[] | null {
    return this.history.liveIncentives(netuid);
  }

  /** The live subnet's consensus settings as last read (the local subnet runs Yuma with its kappa). */
  liveParams(netuid: number): SubnetParams | null {
    return this.history.liveParams(netuid);
  }

  get current(): MetagraphView {
    return this.view;
  }

  stream(emit: (view: MetagraphView) => void): Disposable {
    emit(this.view);
    return this.changes.event(emit);
  }

  handlers(): CommandHandlers<'metagraph.history'> {
    return {
      'metagraph.history': ({ limit }) => Promise.resolve(this.history.recent(limit)),
    };
  }

  streams(): StreamSources<'metagraph.view'> {
    return {
      'metagraph.view': (_params, emit) => this.stream(emit),
    };
  }

  /** `servingAt`: where validators should reach our axon (null when the public IP is unknown). */
  attach(
    kind: 'local' | 'chain',
    source: MetagraphSource,
    ourHotkey: string,
    servingAt: { ip: string; port: number } | null,
  ): void {
    this.detach();
    this.lastRecordedTempo = -1;
    this.mismatch = false;
    const show = (metagraph: Metagraph): void => this.show(kind, metagraph, ourHotkey, servingAt);
    show(source.current);
    this.attached = source.onDidChange(show);
  }

  /** The source stopped: its last metagraph stays, marked as no longer live. */
  detach(): void {
    this.attached?.dispose();
    this.attached = null;
    if (this.view.live) this.update({ ...this.view, live: false });
  }

  dispose(): void {
    this.detach();
    this.changes.dispose();
  }

  private show(
    kind: 'local' | 'chain',
    metagraph: Metagraph,
    ourHotkey: string,
    servingAt: { ip: string; port: number } | null,
  ): void {
    // Before its first tempo the local subnet has ranked nobody: no standing to show yet.
    const standing = metagraph.block > 0 ? standingOf(metagraph, ourHotkey) : null;
    const updatedAt = new Date().toISOString();
    // A tempo closes once per `tempo` blocks: one history point each (the local subnet's
    // metagraph changes only at tempos; the chain's is read every few blocks).
    const tempoIndex = Math.floor(metagraph.block / Math.max(1, metagraph.tempo));
    if (standing && tempoIndex !== this.lastRecordedTempo) {
      this.lastRecordedTempo = tempoIndex;
      if (kind === 'chain')
        this.history.recordLiveIncentives(
          metagraph.netuid,
          metagraph.neurons.filter((n) => !n.validatorPermit).map((n) => n.incentive),
          metagraph.params,
        );
      this.history.record(
        {
          time: updatedAt,
          source: kind,
          netuid: metagraph.netuid,
          block: metagraph.block,
          uid: standing.uid,
          rank: standing.rank,
          miners: standing.miners,
          incentive: standing.incentive,
          emissionPerDayAlpha: standing.emissionPerDayAlpha,
        },
        {
          // As the chain reports it: α (decoded from rao) for the last tempo.
          emissionPerTempo: metagraph.neurons.find((neuron) => neuron.uid === standing.uid)?.emission ?? 0,
          tempo: metagraph.tempo,
          taoPerAlpha: metagraph.alphaPrice,
        },
      );
    }
    let alerts = this.view.alerts;
    if (standing) {
      const fresh = standingAlerts({
        previous: this.view.ourHotkey === ourHotkey ? this.view.standing : null,
        current: standing,
        metagraph,
        ourHotkey,
        servingAt,
        rankDropPlaces: RANK_DROP_PLACES,
      });
      const mismatch = fresh.some((alert) => alert.kind === 'axon-mismatch');
      // The axon alert is raised when the mismatch starts, not on every reading while it lasts.
      const raised = fresh.filter((alert) => alert.kind !== 'axon-mismatch' || !this.mismatch);
      this.mismatch = mismatch;
      if (raised.length > 0) alerts = [...alerts, ...raised].slice(-ALERTS_KEPT);
    }
    this.update({ source: kind, live: true, ourHotkey, metagraph, standing, updatedAt, alerts });
  }

  private update(view: MetagraphView): void {
    this.view = view;
    this.changes.fire(view);
  }
}
