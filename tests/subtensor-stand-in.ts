/**
 * A subtensor node on loopback for the tests: the JSON-RPC methods @polkadot/api uses over a
 * WebSocket, answered with the real metadata (tests/fixtures/subtensor) and runtime-API results
 * SCALE-encoded through its registry. Blocks advance when the test says so; submitted
 * extrinsics are decoded, their signatures checked, and kept for the test to read.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blake2AsHex, blake2AsU8a, decodeAddress, sr25519Verify } from '@polkadot/util-crypto';
import { hexToU8a } from '@polkadot/util';
import { WebSocketServer, type WebSocket } from 'ws';
import { ipFromInteger } from '../main/chain/ip-address.js';
import {
  FIXTURES_DIR,
  fixtureRegistry,
  METADATA_V15_HEX,
  metagraphAnswer,
  RUNTIME_300,
  type PlannedNeuron,
  type RuntimeLayout,
} from './subtensor-fixture.js';
import { errorMessage } from '../shared/errors.js';

const METADATA_V14_HEX = readFileSync(join(FIXTURES_DIR, 'subtensor-metadata-v14.hex'), 'utf8').trim();
const GENESIS = `0x${'11'.repeat(32)}`;

export interface SubmittedCall {
  section: string;
  method: string;
  signer: string;
  args: Record<string, unknown>;
  signatureValid: boolean;
}

export interface SubtensorStandIn {
  url: string;
  block: number;
  /** The subnets the node knows: netuid → its neurons. */
  subnets: Map<number, PlannedNeuron[]>;
  submitted: SubmittedCall[];
  /** Every JSON-RPC method asked for, in order. */
  calls: string[];
  /** Produces a block: new-head subscribers hear of it. */
  advance(blocks?: number): void;
  /** Drops every connection, as a node restart or a lost link does. */
  dropConnections(): void;
  /** Stops listening, as a node that went down: connections are refused at the door. */
  goDown(): Promise<void>;
  /** Listens again on the same port. */
  comeBack(): Promise<void>;
  close(): Promise<void>;
}

/** A block's hash is its header's, as the client computes it when it picks a mortal era's start. */
function blockHash(block: number): string {
  return fixtureRegistry().createType('Header', header(block)).hash.toHex();
}

function header(block: number): Record<string, unknown> {
  return {
    parentHash: blake2AsHex(`parent of ${block}`, 256),
    number: `0x${block.toString(16)}`,
    stateRoot: `0x${'22'.repeat(32)}`,
    extrinsicsRoot: `0x${'33'.repeat(32)}`,
    digest: { logs: [] },
  };
}

function runtimeVersion(specVersion: number): Record<string, unknown> {
  const registry = fixtureRegistry();
  const apis = registry.metadata.apis.map((api) => [blake2AsHex(api.name.toString(), 64), 1]);
  // Core, Metadata and the transaction APIs at the versions polkadot-js expects of them.
  const versions: Record<string, number> = { Core: 4, Metadata: 2, TaggedTransactionQueue: 3, BlockBuilder: 6 };
  for (const api of apis) {
    const name = registry.metadata.apis.find((a) => blake2AsHex(a.name.toString(), 64) === api[0])!.name.toString();
    if (versions[name]) api[1] = versions[name];
  }
  return {
    specName: 'node-subtensor',
    implName: 'node-subtensor',
    authoringVersion: 1,
    specVersion,
    implVersion: 1,
    apis,
    transactionVersion: 1,
    stateVersion: 1,
  };
}

/** `runtime`: the spec version the node reports and how its `get_metagraph` is laid out. */
export async function startSubtensorStandIn(
  subnets: Map<number, PlannedNeuron[]> = new Map(),
  runtime: RuntimeLayout = RUNTIME_300,
): Promise<SubtensorStandIn> {
  const registry = fixtureRegistry();
  const server: Server = createServer();
  const wss = new WebSocketServer({ server });
  const headSubscribers = new Map<WebSocket, Set<string>>();
  let nextSubscription = 1;
  let port = 0;

  const stand: SubtensorStandIn = {
    url: '',
    block: 1000,
    subnets,
    submitted: [],
    calls: [],
    goDown: () =>
      new Promise<void>((resolve) => {
        for (const socket of wss.clients) socket.terminate();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    comeBack: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    advance(blocks = 1) {
      for (let i = 0; i < blocks; i++) {
        stand.block++;
        for (const [socket, ids] of headSubscribers)
          for (const id of ids)
            socket.send(
              JSON.stringify({
                jsonrpc: '2.0',
                method: 'chain_newHead',
                params: { subscription: id, result: header(stand.block) },
              }),
            );
      }
    },
    dropConnections() {
      for (const socket of wss.clients) socket.terminate();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of wss.clients) socket.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };

  function stateCall(method: string, data: string): string {
    switch (method) {
      case 'Metadata_metadata_versions':
        return registry.createType('Vec<u32>', [14, 15]).toHex();
      case 'Metadata_metadata_at_version':
        return METADATA_V15_HEX;
      case 'SubnetInfoRuntimeApi_get_metagraph': {
        // SCALE bytes, not a number written in hex: createType would read '0x4800' as 18432.
        const netuid = registry.createType('u16', hexToU8a(data)).toNumber();
        const neurons = stand.subnets.get(netuid);
        if (!neurons) return registry.createType('Option<PalletSubtensorRpcInfoMetagraph>', null).toHex();
        return metagraphAnswer(netuid, stand.block, neurons, runtime);
      }
      default:
        throw Object.assign(new Error(`no runtime API ${method} here`), { code: -32000 });
    }
  }

  function submit(hex: string): string {
    const extrinsic = registry.createType('Extrinsic', hex);
    const { section, method } = registry.findMetaCall(extrinsic.callIndex);
    const args: Record<string, unknown> = {};
    Object.keys(extrinsic.method.argsDef).forEach((name, i) => (args[name] = extrinsic.method.args[i]!.toJSON()));
    let signatureValid: boolean;
    try {
      // The payload the signer signed, rebuilt from the extrinsic and the chain's state.
      const payload = registry.createType('ExtrinsicPayload', {
        method: extrinsic.method.toHex(),
        era: extrinsic.era,
        nonce: extrinsic.nonce,
        tip: extrinsic.tip,
        specVersion: runtime.specVersion,
        transactionVersion: 1,
        genesisHash: GENESIS,
        // A mortal transaction signs the hash of the block its era starts at.
        blockHash: extrinsic.era.isMortalEra ? blockHash(extrinsic.era.asMortalEra.birth(stand.block)) : GENESIS,
      });
      signatureValid = extrinsic.signature.isEmpty
        ? false
        : verifySignature(payload.toU8a({ method: true }), extrinsic.signature.toU8a(), extrinsic.signer.toString());
    } catch {
      signatureValid = false;
    }
    const signer = extrinsic.signer.toString();
    stand.submitted.push({ section, method, signer, args, signatureValid });
    // A valid serve_axon changes what the metagraph advertises, as the chain's state would.
    if (signatureValid && method === 'serveAxon') {
      const neuron = stand.subnets.get(Number(args.netuid))?.find((n) => n.hotkey === signer);
      if (neuron)
        neuron.axon = {
          ip: ipFromInteger(BigInt(args.ip as number | string), Number(args.ip_type)),
          port: Number(args.port),
        };
    }
    return extrinsic.hash.toHex();
  }

  function answer(socket: WebSocket, method: string, params: unknown[]): unknown {
    stand.calls.push(method);
    switch (method) {
      case 'rpc_methods':
        return { methods: [] };
      case 'chain_getBlockHash':
        return params[0] === 0 ? GENESIS : blockHash(stand.block);
      case 'chain_getFinalizedHead':
        return blockHash(stand.block);
      case 'chain_getHeader':
        return header(stand.block);
      case 'state_getRuntimeVersion':
        return runtimeVersion(runtime.specVersion);
      case 'system_chain':
        return 'Bittensor (stand-in)';
      case 'system_name':
        return 'node-subtensor';
      case 'system_version':
        return '4.0.0-stand-in';
      case 'system_properties':
        return { ss58Format: 42, tokenDecimals: 9, tokenSymbol: 'TAO' };
      case 'state_getMetadata':
        return METADATA_V14_HEX;
      case 'state_call':
        return stateCall(String(params[0]), typeof params[1] === 'string' ? params[1] : '0x');
      case 'system_accountNextIndex':
        return 0;
      case 'author_submitExtrinsic':
        return submit(String(params[0]));
      case 'state_getStorage':
        return null;
      case 'state_subscribeStorage': {
        const id = `sub-${nextSubscription++}`;
        const keys = (params[0] as string[] | undefined) ?? [];
        setImmediate(() =>
          socket.send(
            JSON.stringify({
              jsonrpc: '2.0',
              method: 'state_storage',
              params: {
                subscription: id,
                result: { block: blockHash(stand.block), changes: keys.map((k) => [k, null]) },
              },
            }),
          ),
        );
        return id;
      }
      case 'state_unsubscribeStorage':
        return true;
      case 'chain_subscribeNewHead':
      case 'chain_subscribeNewHeads':
      case 'chain_subscribeFinalizedHeads':
      case 'state_subscribeRuntimeVersion': {
        const id = `sub-${nextSubscription++}`;
        if (method !== 'state_subscribeRuntimeVersion') {
          const ids = headSubscribers.get(socket) ?? new Set<string>();
          ids.add(id);
          headSubscribers.set(socket, ids);
          setImmediate(() =>
            socket.send(
              JSON.stringify({
                jsonrpc: '2.0',
                method: method === 'chain_subscribeFinalizedHeads' ? 'chain_finalizedHead' : 'chain_newHead',
                params: { subscription: id, result: header(stand.block) },
              }),
            ),
          );
        } else {
          setImmediate(() =>
            socket.send(
              JSON.stringify({
                jsonrpc: '2.0',
                method: 'state_runtimeVersion',
                params: { subscription: id, result: runtimeVersion(runtime.specVersion) },
              }),
            ),
          );
        }
        return id;
      }
      case 'chain_unsubscribeNewHead':
      case 'chain_unsubscribeNewHeads':
      case 'chain_unsubscribeFinalizedHeads':
      case 'state_unsubscribeRuntimeVersion':
        headSubscribers.get(socket)?.delete(String(params[0]));
        return true;
      default:
        throw Object.assign(new Error(`Method not found: ${method}`), { code: -32601 });
    }
  }

  wss.on('connection', (socket) => {
    socket.on('close', () => headSubscribers.delete(socket));
    socket.on('message', (data: Buffer) => {
      let request: { id: number; method: string; params?: unknown[] };
      try {
        request = JSON.parse(data.toString()) as typeof request;
      } catch {
        return;
      }
      try {
        const result = answer(socket, request.method, request.params ?? []);
        socket.send(JSON.stringify({ jsonrpc: '2.0', id: request.id, result }));
      } catch (error) {
        const code = (error as { code?: number }).code ?? -32000;
        socket.send(
          JSON.stringify({
            jsonrpc: '2.0',
            id: request.id,
            error: { code, message: errorMessage(error) },
          }),
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  stand.url = `ws://127.0.0.1:${port}`;
  return stand;
}

function verifySignature(payload: Uint8Array, signature: Uint8Array, signer: string): boolean {
  // Payloads over 256 bytes are signed by their hash; a MultiSignature may carry its type byte (1 = sr25519).
  const message = payload.length > 256 ? blake2AsU8a(payload) : payload;
  const raw = signature.length === 65 && signature[0] === 1 ? signature.subarray(1) : signature;
  return raw.length === 64 && sr25519Verify(message, raw, decodeAddress(signer));
}
