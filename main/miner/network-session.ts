/**
 * The network the miner serves on while it runs: a live chain (chain-session.ts) or the
 * console's local subnet (main/subnet/local-session.ts). The miner joins before it loads the
 * model, so a hotkey that is not registered fails fast, and attaches once its axon listens.
 */
import type { Settings } from '../../shared/domain/settings.js';
import type { Hotkey } from '../wallet/hotkey-file.js';
import type { AxonPolicy } from './axon-server.js';

export interface NetworkSession {
  /** Who a caller is on this network (uid, permit, stake), looked up per request by the blacklist. */
  readonly standing: AxonPolicy['standing'];
  /** Our uid on this network, when it gives us one. */
  readonly uid: number | undefined;
  /**
   * The axon listens on `axonPort`: the metagraph the console shows follows this network, and the
   * network learns where to call. Returns a sentence for the status line ('' when nothing to say).
   */
  attach(axonPort: number): Promise<string>;
  /** Leaves the network; the metagraph the console shows stays, no longer live. */
  close(): Promise<void>;
}

/**
 * Joins the network the settings name as `hotkey`; `progress` tells the operator what it is
 * doing. A failure is an Error whose message says what to do.
 */
export type JoinNetwork = (
  settings: Settings,
  hotkey: Hotkey,
  progress: (message: string) => void,
) => Promise<NetworkSession>;
