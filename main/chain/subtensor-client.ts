/**
 * The live chain through @polkadot/api: finney, the testnet, or any subtensor node. Decodes
 * through the metadata the node serves (never hand-written layouts), reconnects by itself with
 * backoff, and reads the subnet's metagraph in one runtime-API call.
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import type { Signer, SignerResult } from '@polkadot/api/types';
import type { SignerPayloadJSON } from '@polkadot/types/types';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import type { Header } from '@polkadot/types/interfaces';
import type { Disposable } from '../../shared/contract.js';
import type { Metagraph } from '../../shared/domain/metagraph.js';
import type { Logger } from '../log/log-service.js';
import { decodeMetagraph } from './decode-metagraph.js';
import { ipv4ToInteger } from './ip-address.js';
import { SUBTENSOR_SIGNED_EXTENSIONS } from './subtensor-metadata.js';

export class ChainError extends Error {}

export interface AxonAdvert {
  netuid: number;
  ip: string;
  port: number;
  /** The miner's version as an integer (the Python SDK sends its own, e.g. 9_000_000). */
  version: number;
}

/** Who signs an extrinsic: the hotkey, whose secret stays inside the wallet module. */
export interface ExtrinsicSigner {
  address: string;
  /** Raw sr25519 over bytes. */
  signBytes(data: Uint8Array): Uint8Array;
}

/** Waits between reconnection attempts, the last repeated: quick after a blip, gentle on a node that is down. */
export const RECONNECT_BACKOFF_MS = [1000, 2000, 4000, 8000, 15_000, 30_000];

export class SubtensorClient {
  private constructor(
    private readonly api: ApiPromise,
    readonly endpoint: string,
    private readonly reconnection: Disposable,
  ) {}

  /** Connects, or fails within `timeoutMs` naming the endpoint. */
  static async connect(
    endpoint: string,
    log: Logger,
    timeoutMs = 30_000,
    backoffMs: readonly number[] = RECONNECT_BACKOFF_MS,
  ): Promise<SubtensorClient> {
    // polkadot-js retries at a fixed interval; this client reconnects itself, with backoff.
    const provider = new WsProvider(endpoint, false, {}, timeoutMs);
    provider.on('connected', () => log.info(`Connected to the chain at ${endpoint}`));
    await provider.connect().catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new ChainError(`No answer from the chain at ${endpoint} within ${Math.round(timeoutMs / 1000)} s.`)),
        timeoutMs,
      );
    });
    const create = ApiPromise.create({
      provider,
      signedExtensions: SUBTENSOR_SIGNED_EXTENSIONS,
      noInitWarn: true,
      throwOnConnect: true,
    });
    try {
      const api = await Promise.race([create, timeout]);
      return new SubtensorClient(api, endpoint, keepReconnecting(provider, endpoint, log, backoffMs));
    } catch (error) {
      await provider.disconnect().catch(() => undefined);
      void create.then((api) => api.disconnect()).catch(() => undefined);
      if (error instanceof ChainError) throw error;
      throw new ChainError(
        `Cannot reach the chain at ${endpoint}: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  get connected(): boolean {
    return this.api.isConnected;
  }

  async metagraph(netuid: number): Promise<Metagraph> {
    const call = this.api.call.subnetInfoRuntimeApi?.getMetagraph;
    if (!call) throw new ChainError(`The node at ${this.endpoint} has no SubnetInfoRuntimeApi.get_metagraph.`);
    const result = await call(netuid);
    // The runtime that answered: a layout the decoder cannot read is named by it.
    return decodeMetagraph(result, this.api.runtimeVersion.specVersion.toNumber());
  }

  /** The best block's number now, then at every new block. */
  onBlock(listener: (block: number) => void): Disposable {
    let unsubscribe: (() => void) | null = null;
    let disposed = false;
    void this.api.rpc.chain
      .subscribeNewHeads((header: Header) => listener(header.number.toNumber()))
      .then(
        (stop) => {
          if (disposed) stop();
          else unsubscribe = stop;
        },
        // A link lost before the subscription took: the reconnect subscribes nothing by itself,
        // and the metagraph's last good copy keeps serving.
        () => undefined,
      );
    return {
      dispose: () => {
        disposed = true;
        unsubscribe?.();
      },
    };
  }

  /** Submits `serve_axon` signed by the hotkey (fee-free); resolves with the extrinsic's hash. */
  async serveAxon(hotkey: ExtrinsicSigner, advert: AxonAdvert): Promise<string> {
    const serve = this.api.tx.subtensorModule?.serveAxon;
    if (!serve) throw new ChainError(`The node at ${this.endpoint} has no SubtensorModule.serve_axon.`);
    let ip: bigint;
    try {
      ip = ipv4ToInteger(advert.ip);
    } catch (error) {
      throw new ChainError(error instanceof Error ? error.message : String(error));
    }
    const tx = serve(advert.netuid, advert.version, ip, advert.port, 4, 4, 0, 0);
    const hash = await tx.signAndSend(hotkey.address, { signer: this.signerFor(hotkey) });
    return hash.toHex();
  }

  /** polkadot-js's Signer over our hotkey: the payload as the chain's registry encodes it. */
  private signerFor(hotkey: ExtrinsicSigner): Signer {
    const registry = this.api.registry;
    let id = 0;
    return {
      signPayload: (payload: SignerPayloadJSON): Promise<SignerResult> => {
        const encoded = registry
          .createType('ExtrinsicPayload', payload, { version: payload.version })
          .toU8a({ method: true });
        // Payloads over 256 bytes are signed by their hash, as every substrate signer does.
        const message = encoded.length > 256 ? blake2AsU8a(encoded) : encoded;
        // MultiSignature: 0x01 marks sr25519.
        const signature = u8aToHex(u8aConcat(new Uint8Array([1]), hotkey.signBytes(message)));
        return Promise.resolve({ id: ++id, signature });
      },
    };
  }

  async close(): Promise<void> {
    this.reconnection.dispose();
    await this.api.disconnect();
  }
}

/** After a lost link, tries again after each wait in turn (the last repeated) until it connects or is disposed. */
function keepReconnecting(
  provider: WsProvider,
  endpoint: string,
  log: Logger,
  backoffMs: readonly number[],
): Disposable {
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const schedule = (): void => {
    if (stopped || timer) return;
    const wait = backoffMs[Math.min(attempt, backoffMs.length - 1)]!;
    attempt++;
    log.warn(`Lost the chain at ${endpoint}; trying again in ${wait / 1000} s.`);
    timer = setTimeout(() => {
      timer = null;
      if (stopped || provider.isConnected) return;
      provider.connect().catch(schedule);
    }, wait);
  };
  const onDisconnect = provider.on('disconnected', schedule);
  const onConnect = provider.on('connected', () => {
    attempt = 0;
  });
  return {
    dispose: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      onDisconnect();
      onConnect();
    },
  };
}
