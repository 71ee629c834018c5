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
import { pause, retryDelay, withRetry } from '../base/retry.js';
import type { Logger } from '../log/log-service.js';
import { decodeMetagraph } from './decode-metagraph.js';
import { ipv4ToInteger } from './ip-address.js';
import { SUBTENSOR_SIGNED_EXTENSIONS } from './subtensor-metadata.js';
import { errorMessage } from '../../shared/errors.js';

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
      throw new ChainError(`Cannot reach the chain at ${endpoint}: ${errorMessage(error)}`);
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
      throw new ChainError(errorMessage(error));
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

/**
 * After a lost link, waits the first delay, then tries to connect, waiting each next delay in turn
 * (the last repeated) after a failed try, until it connects or is disposed.
 */
function keepReconnecting(
  provider: WsProvider,
  endpoint: string,
  log: Logger,
  backoffMs: readonly number[],
): Disposable {
  const disposed = new AbortController();
  let reconnecting = false;
  const lost = (wait: number): void => log.warn(`Lost the chain at ${endpoint}; trying again in ${wait / 1000} s.`);
  const reconnect = async (): Promise<void> => {
    if (reconnecting || disposed.signal.aborted) return;
    reconnecting = true;
    try {
      const first = retryDelay(backoffMs, 0);
      lost(first);
      await pause(first, disposed.signal);
      await withRetry(() => (provider.isConnected ? Promise.resolve() : connectOnce(provider, disposed.signal)), {
        // The first wait came before the first try.
        delaysMs: backoffMs.length > 1 ? backoffMs.slice(1) : backoffMs,
        signal: disposed.signal,
        onRetry: (_error, wait) => lost(wait),
      });
    } catch {
      // Disposed: the client is closing.
    } finally {
      reconnecting = false;
    }
  };
  const onDisconnect = provider.on('disconnected', () => void reconnect());
  return {
    dispose: () => {
      disposed.abort();
      onDisconnect();
    },
  };
}

/** One try: resolves once the socket is open, rejects when it closes first or `signal` aborts. */
function connectOnce(provider: WsProvider, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (failure?: Error): void => {
      offConnected();
      offDisconnected();
      signal.removeEventListener('abort', aborted);
      if (failure) reject(failure);
      else resolve();
    };
    const closed = (): void => settle(new ChainError(`The link to ${provider.endpoint} closed.`));
    const aborted = (): void => settle(new ChainError('Stopped reconnecting.'));
    const offConnected = provider.on('connected', () => settle());
    const offDisconnected = provider.on('disconnected', closed);
    signal.addEventListener('abort', aborted, { once: true });
    provider.connect().catch((error: unknown) => (error instanceof Error ? settle(error) : closed()));
  });
}
