/**
 * The miner on the console's own local subnet: once the axon listens, a LocalSubnet with five
 * validators and a field of simulated peers (fitted to the live subnet when its incentives were
 * read, and running Yuma with its kappa) challenges it with generated scenes, and its metagraph is
 * what the console shows.
 */
import type { Settings } from '../../shared/domain/settings.js';
import type { MetagraphService } from '../chain/metagraph-service.js';
import type { LogService } from '../log/log-service.js';
import type { NetworkSession } from '../miner/network-session.js';
import { sceneChallenges } from './challenge-source.js';
import { LocalSubnet, PACES, type PaceName, type SubnetPace } from './local-subnet.js';
import { peersFittedTo, spreadOfPeers, type PeerMiner } from './peer-miners.js';

/** A named pace (`real` for soak runs, `compressed` for the demo) or one of a test's own. */
export type LocalPace = PaceName | SubnetPace;

/** A forward every 2 s from each of five validators, a tempo every 10 s: a rank within seconds. */
export const DEFAULT_LOCAL_PACE: SubnetPace = PACES.compressed;
const LOCAL_PEERS = 24;
const LOCAL_VALIDATORS = 5;

export interface LocalSessionDependencies {
  /** Shows the local subnet's metagraph; its record of the live subnet's incentives shapes the peers. */
  metagraph: MetagraphService;
  log: LogService;
  /** How often the local subnet's validators run a forward, and when a tempo closes. */
  pace?: LocalPace;
}

/** Nothing to join before the axon listens: the subnet is made for it in `attach`. */
export function joinLocalSubnet(
  settings: Settings,
  hotkey: { ss58Address: string },
  deps: LocalSessionDependencies,
): NetworkSession {
  return new LocalSession(settings.chain.netuid, hotkey.ss58Address, deps);
}

class LocalSession implements NetworkSession {
  private subnet: LocalSubnet | null = null;
  readonly uid = undefined;

  constructor(
    private readonly netuid: number,
    private readonly hotkey: string,
    private readonly deps: LocalSessionDependencies,
  ) {}

  /** The local subnet's registry: its validators (with permits and stake), and us. */
  readonly standing: NetworkSession['standing'] = (address) => this.subnet?.members.get(address) ?? null;

  async attach(axonPort: number): Promise<string> {
    const seed = Date.now() % 1_000_000;
    const miner = { hotkey: this.hotkey, ip: '127.0.0.1', port: axonPort };
    const subnet = await LocalSubnet.create({
      netuid: this.netuid,
      validators: LOCAL_VALIDATORS,
      peers: this.peers(),
      miner,
      source: sceneChallenges(seed),
      seed,
      kappa: this.kappa(),
      log: this.deps.log.forSource('local-subnet'),
    });
    this.subnet = subnet;
    const pace = this.deps.pace ?? DEFAULT_LOCAL_PACE;
    subnet.start(typeof pace === 'string' ? PACES[pace] : pace);
    this.deps.metagraph.attach('local', subnet, this.hotkey, { ip: miner.ip, port: axonPort });
    return '';
  }

  async close(): Promise<void> {
    if (!this.subnet) return;
    await this.subnet.dispose();
    this.deps.metagraph.detach();
  }

  /** The field: fitted to the live subnet's incentives once they were read, an even spread before. */
  private peers(): PeerMiner[] {
    const live = this.deps.metagraph.liveIncentives(this.netuid);
    if (live && live.length >= 2) {
      this.deps.log
        .forSource('miner')
        .info(`The local subnet's peers are fitted to the ${live.length} miners of the live subnet ${this.netuid}.`);
      return peersFittedTo(live, this.netuid);
    }
    return spreadOfPeers(LOCAL_PEERS, this.netuid);
  }

  /** Yuma's kappa: the live subnet's once its settings were read, else subtensor's default. */
  private kappa(): number | undefined {
    const kappa = this.deps.metagraph.liveParams(this.netuid)?.kappa ?? null;
    if (kappa === null) return undefined;
    this.deps.log
      .forSource('miner')
      .info(`The local subnet runs Yuma with the live subnet's kappa, ${kappa.toFixed(4)}.`);
    return kappa;
  }
}
