/**
 * Where the miner serves, by the network its run's settings name: the local subnet for 'local',
 * a live chain otherwise. What the host gives MinerService as `joinNetwork`.
 */
import type { MetagraphService } from '../chain/metagraph-service.js';
import type { SubtensorClient } from '../chain/subtensor-client.js';
import type { LogService, Logger } from '../log/log-service.js';
import { joinChain } from '../miner/chain-session.js';
import type { JoinNetwork } from '../miner/network-session.js';
import { joinLocalSubnet, type LocalPace } from './local-session.js';

export interface MinerNetworkDependencies {
  /** Shows the metagraph of whichever network the miner serves on. */
  metagraph: MetagraphService;
  log: LogService;
  /** How fast the local subnet's validators work (tests slow them down or speed them up). */
  localPace?: LocalPace;
  /** How the miner reaches a live chain (the tests' stand-in speaks the same protocol). */
  connectChain?: (endpoint: string, log: Logger) => Promise<SubtensorClient>;
}

export function minerNetworks(deps: MinerNetworkDependencies): JoinNetwork {
  return (settings, hotkey, progress) =>
    settings.chain.network === 'local'
      ? Promise.resolve(
          joinLocalSubnet(settings, hotkey, { metagraph: deps.metagraph, log: deps.log, pace: deps.localPace }),
        )
      : joinChain(settings, hotkey, progress, {
          metagraph: deps.metagraph,
          log: deps.log.forSource('miner'),
          connect: deps.connectChain,
        });
}
