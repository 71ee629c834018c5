/**
 * What the alert tests feed the service: streams that hold a current value (as the services'
 * own streams do), a miner status, a metagraph view with our uid (main/chain's standing
 * fixtures), a registry with a live model.
 */
import type { Disposable } from '../../shared/contract.js';
import type { MetagraphView, Standing, StandingAlert } from '../../shared/domain/metagraph.js';
import { EMPTY_MINER_STATS, type MinerState, type MinerStatus } from '../../shared/domain/miner.js';
import type { ModelRegistryView, RegisteredModel } from '../../shared/domain/model-registry.js';
import { Emitter } from '../base/emitter.js';
import { metagraph } from '../chain/standing-fixtures.js';

export { standing } from '../chain/standing-fixtures.js';

/** A stream with a current value: a subscriber gets it at once, then every change. */
export class Feed<T> {
  private readonly changes = new Emitter<T>();
  private value: T | undefined;

  constructor(initial?: T) {
    this.value = initial;
  }

  readonly subscribe = (emit: (value: T) => void): Disposable => {
    if (this.value !== undefined) emit(this.value);
    return this.changes.event(emit);
  };

  set(value: T): void {
    this.value = value;
    this.changes.fire(value);
  }
}

export const OUR_HOTKEY = 'ours';

export function minerStatus(state: MinerState, more: Partial<MinerStatus> = {}): MinerStatus {
  return {
    state,
    message: state === 'error' ? 'The model in /x cannot be served: no model.onnx.' : `${state}.`,
    network: 'local',
    netuid: 72,
    axonPort: 8091,
    wallet: { name: 'default', hotkey: 'default' },
    hotkeyAddress: state === 'serving' ? OUR_HOTKEY : null,
    model: null,
    provider: null,
    stats: EMPTY_MINER_STATS,
    since: '2026-03-01T00:00:00.000Z',
    stoppedBy: state === 'error' ? 'failure' : null,
    ...more,
  };
}

export function view(
  ours: Standing,
  options: {
    source?: 'local' | 'chain';
    axon?: { ip: string; port: number } | null;
    alerts?: StandingAlert[];
    live?: boolean;
  } = {},
): MetagraphView {
  return {
    source: options.source ?? 'local',
    live: options.live ?? true,
    ourHotkey: OUR_HOTKEY,
    metagraph: metagraph(options.axon === undefined ? { ip: '127.0.0.1', port: 8091 } : options.axon, OUR_HOTKEY),
    standing: ours,
    updatedAt: '2026-03-01T00:00:00.000Z',
    alerts: options.alerts ?? [],
  };
}

export function registryWithLive(publishedAt: string | null, id = 'default-1.0.0'): ModelRegistryView {
  const model: RegisteredModel = {
    id,
    name: 'default',
    version: '1.0.0',
    architecture: 'small-cnn',
    dir: '/models/default',
    metrics: { valAccuracy: null, valMcc: null, valLoss: null },
    dataHash: 'x',
    parentId: null,
    origin: { kind: 'shipped' },
    createdAt: '2026-01-01T00:00:00.000Z',
    registeredAt: '2026-01-01T00:00:00.000Z',
    publishedAt,
    age: null,
    live: true,
    evaluation: null,
    deployments: [],
  };
  return { models: [model], liveId: id, rollbackToId: null, evaluatingId: null };
}
