/**
 * The miner on a live chain: connects, reads the subnet's metagraph and finds our uid (each
 * failure says what to do), answers the blacklist from that metagraph, and once the axon listens
 * makes the chain advertise where (`serve_axon`), as the Python miner does at start.
 */
import type { Settings } from '../../shared/domain/settings.js';
import { LiveMetagraph } from '../chain/live-metagraph.js';
import type { MetagraphService } from '../chain/metagraph-service.js';
import { chainEndpoint } from '../chain/networks.js';
import { SubtensorClient } from '../chain/subtensor-client.js';
import type { Logger } from '../log/log-service.js';
import type { Hotkey } from '../wallet/hotkey-file.js';
import type { NetworkSession } from './network-session.js';
import { errorMessage } from '../../shared/errors.js';

export interface ChainSessionDependencies {
  /** Where the metagraph the console shows comes from while mining. */
  metagraph: MetagraphService;
  log: Logger;
  /** How the miner reaches a live chain (the tests' stand-in speaks the same protocol). */
  connect?: (endpoint: string, log: Logger) => Promise<SubtensorClient>;
}

/** Our version as an integer for `serve_axon`, as the Python SDK sends its own. */
const AXON_VERSION = 100;

/** Connects, reads the subnet's metagraph, and finds our uid; each failure says what to do. */
export async function joinChain(
  settings: Settings,
  hotkey: Hotkey,
  progress: (message: string) => void,
  deps: ChainSessionDependencies,
): Promise<NetworkSession> {
  const { network, netuid } = settings.chain;
  const endpoint = chainEndpoint(settings.chain);
  if (!endpoint) throw new Error('A custom network needs its endpoint in Settings (Chain).');
  progress(`Connecting to ${network} at ${endpoint}…`);
  const client = await (deps.connect ?? ((url, log) => SubtensorClient.connect(url, log)))(endpoint, deps.log);
  let metagraph: LiveMetagraph;
  try {
    metagraph = await LiveMetagraph.open(client, netuid, deps.log);
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new Error(`Subnet ${netuid} cannot be read on ${network}: ${errorMessage(error)}`, { cause: error });
  }
  const session = new ChainSession(client, metagraph, settings, hotkey, deps);
  if (!metagraph.neuron(hotkey.ss58Address)) {
    await session.close();
    const { name, hotkey: hotkeyName } = settings.wallet;
    throw new Error(
      `The hotkey ${hotkey.ss58Address} is not registered on subnet ${netuid} of ${network}. Registering costs ${metagraph.current.burn.toFixed(4)} TAO now, paid by the coldkey: btcli subnet register --netuid ${netuid} --wallet.name ${name} --wallet.hotkey ${hotkeyName} --network ${network === 'custom' ? endpoint : network}`,
    );
  }
  return session;
}

class ChainSession implements NetworkSession {
  private attached = false;

  constructor(
    private readonly client: SubtensorClient,
    private readonly metagraph: LiveMetagraph,
    private readonly settings: Settings,
    private readonly hotkey: Hotkey,
    private readonly deps: ChainSessionDependencies,
  ) {}

  /** The blacklist's view of the live metagraph: membership, permit and stake. */
  readonly standing: NetworkSession['standing'] = (address) => {
    const neuron = this.metagraph.neuron(address);
    return neuron ? { uid: neuron.uid, validatorPermit: neuron.validatorPermit, stake: neuron.stake } : null;
  };

  get uid(): number | undefined {
    return this.metagraph.neuron(this.hotkey.ss58Address)?.uid;
  }

  attach(axonPort: number): Promise<string> {
    const ip = this.settings.axon.externalIp;
    this.deps.metagraph.attach('chain', this.metagraph, this.hotkey.ss58Address, ip ? { ip, port: axonPort } : null);
    this.attached = true;
    return this.advertise(axonPort);
  }

  async close(): Promise<void> {
    this.metagraph.dispose();
    await this.client.close().catch(() => undefined);
    if (this.attached) this.deps.metagraph.detach();
  }

  /**
   * `serve_axon` signed by the hotkey when the public ip or port on chain differ. Returns a
   * sentence for the status line; a failure here does not stop mining.
   */
  private async advertise(port: number): Promise<string> {
    const { hotkey, settings } = this;
    const { log } = this.deps;
    const advertised = this.metagraph.neuron(hotkey.ss58Address)?.axon ?? null;
    const ip = settings.axon.externalIp;
    if (!ip) {
      return advertised
        ? ` The chain advertises ${advertised.ip}:${advertised.port}; give your public IP in Settings (Axon) to keep it current.`
        : ' Give your public IP in Settings (Axon): until the chain advertises it, validators cannot reach this axon.';
    }
    if (advertised?.ip === ip && advertised.port === port) return ` Advertised on chain at ${ip}:${port}.`;
    try {
      const hash = await this.client.serveAxon(
        { address: hotkey.ss58Address, signBytes: (data) => hotkey.signBytes(data) },
        { netuid: settings.chain.netuid, ip, port, version: AXON_VERSION },
      );
      log.info(`serve_axon submitted: ${ip}:${port} on subnet ${settings.chain.netuid} (${hash})`);
      return ` Advertised ${ip}:${port} on chain (serve_axon submitted).`;
    } catch (error) {
      const reason = errorMessage(error);
      log.error(`serve_axon failed: ${reason}`);
      return ` The chain still advertises ${advertised ? `${advertised.ip}:${advertised.port}` : 'no axon'}: serve_axon failed (${reason}).`;
    }
  }
}
