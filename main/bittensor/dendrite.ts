/**
 * A dendrite that builds requests exactly as the Bittensor SDK's (v10) does: the synapse with
 * its `dendrite` and `axon` terminal info as the JSON body, the same fields as `bt_header_*`
 * headers, and the sr25519 signature over `nonce.dendrite.axon.uuid.body_hash`. The local
 * subnet's validators query the operator's axon with it; the axon's tests use it too.
 */
import { randomUUID } from 'node:crypto';
import type { KeyringPair } from '@polkadot/keyring/types';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { bodyHash, signedMessage, stringifySynapseJson } from './wire.js';
import { nowNanoseconds } from './nonce-guard.js';

export const DENDRITE_VERSION = 10_002_000;

export interface AxonTarget {
  ip: string;
  port: number;
  hotkey: string;
}

export interface DendriteRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The values signed, for tests that tamper with one. */
  signed: { nonce: bigint; uuid: string; bodyHash: string; signature: string };
}

export interface BuildOptions {
  synapseName: string;
  /** The synapse's own fields (for ImageSynapse: image, prediction, testnet_label). */
  fields: Record<string, unknown>;
  /** Their `str()` values, in order, when the synapse declares required hash fields (ImageSynapse: none). */
  requiredHashFieldStrings?: string[];
  timeoutS?: number;
  nonce?: bigint;
  uuid?: string;
  dendriteIp?: string;
}

export function buildDendriteRequest(keypair: KeyringPair, target: AxonTarget, options: BuildOptions): DendriteRequest {
  const timeoutS = options.timeoutS ?? 9;
  const nonce = options.nonce ?? nowNanoseconds();
  const uuid = options.uuid ?? randomUUID();
  const hash = bodyHash(options.requiredHashFieldStrings ?? []);
  const signature = u8aToHex(
    keypair.sign(
      stringToU8a(
        signedMessage({ nonce, dendriteHotkey: keypair.address, axonHotkey: target.hotkey, uuid, bodyHash: hash }),
      ),
    ),
  );
  const dendrite = {
    status_code: null,
    status_message: null,
    process_time: null,
    ip: options.dendriteIp ?? '127.0.0.1',
    port: null,
    version: DENDRITE_VERSION,
    nonce,
    uuid,
    hotkey: keypair.address,
    signature,
  };
  const axon = {
    status_code: null,
    status_message: null,
    process_time: null,
    ip: target.ip,
    port: target.port,
    version: null,
    nonce: null,
    uuid: null,
    hotkey: target.hotkey,
    signature: null,
  };
  const synapse = {
    name: options.synapseName,
    timeout: timeoutS,
    total_size: 0,
    header_size: 0,
    dendrite,
    axon,
    computed_body_hash: '',
    ...options.fields,
  };
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    name: options.synapseName,
    timeout: String(timeoutS),
    header_size: '0',
    total_size: '0',
    computed_body_hash: hash,
  };
  for (const [key, value] of Object.entries(axon)) if (value !== null) headers[`bt_header_axon_${key}`] = String(value);
  for (const [key, value] of Object.entries(dendrite))
    if (value !== null) headers[`bt_header_dendrite_${key}`] = String(value);
  // The SDK sends one placeholder header per synapse field; axons ignore them.
  for (const key of Object.keys(options.fields)) headers[`bt_header_input_obj_${key}`] = 'Tm9uZQ==';
  return {
    url: `http://${target.ip}:${target.port}/${options.synapseName}`,
    headers,
    body: stringifySynapseJson(synapse),
    signed: { nonce, uuid, bodyHash: hash, signature },
  };
}
