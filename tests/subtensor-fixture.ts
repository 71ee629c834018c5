/**
 * Subtensor as the tests see it: the type registry of the real metadata in tests/fixtures/subtensor,
 * and runtime-API answers SCALE-encoded through it, as a node would send them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { ipv4ToInteger } from '../main/chain/ip-address.js';
import { metadataFromVersionedCall, subtensorRegistry } from '../main/chain/subtensor-metadata.js';

export const FIXTURES_DIR = join(import.meta.dirname, 'fixtures', 'subtensor');
export const METADATA_V15_HEX = readFileSync(join(FIXTURES_DIR, 'subtensor-metadata-v15.hex'), 'utf8').trim();

let registry: TypeRegistry | null = null;
export function fixtureRegistry(): TypeRegistry {
  registry ??= subtensorRegistry(metadataFromVersionedCall(METADATA_V15_HEX));
  return registry;
}

export interface PlannedNeuron {
  hotkey: string;
  coldkey: string;
  /** In α (whole units). */
  stake: number;
  validatorPermit?: boolean;
  /** In [0, 1]. */
  incentive?: number;
  /** α per tempo. */
  emission?: number;
  registeredAt?: number;
  axon?: { ip: string; port: number };
}

/**
 * How a runtime answers `get_metagraph`: its spec version, and the per-uid vectors it sends empty.
 * Before spec 401 every vector had one entry per uid; since 401 (2026-04-23) trust, rank and
 * pruning_score come empty.
 */
export interface RuntimeLayout {
  specVersion: number;
  emptyVectors: readonly string[];
}
export const RUNTIME_300: RuntimeLayout = { specVersion: 300, emptyVectors: [] };
export const RUNTIME_401: RuntimeLayout = { specVersion: 401, emptyVectors: ['trust', 'rank', 'pruningScore'] };

/** The subnet's consensus settings the stand-in sends: none of them subtensor's default. */
export const SUBNET_PARAMS = {
  /** u16 fractions: 0.6 and 0.1 of 65535. */
  kappa: 39_321,
  maxWeightsLimit: 6_554,
  commitRevealWeightsEnabled: true,
  /** Tempos. */
  commitRevealPeriod: 2,
  /** Blocks. */
  activityCutoff: 7_200,
};

const rao = (units: number): bigint => BigInt(Math.round(units * 1e9));
const u16 = (fraction: number): number => Math.round(fraction * 65_535);

/** The SCALE hex of `get_metagraph(netuid)` for a subnet of these neurons. */
export function metagraphAnswer(
  netuid: number,
  block: number,
  neurons: PlannedNeuron[],
  layout: RuntimeLayout = RUNTIME_300,
): string {
  const n = neurons.length;
  const fields: Record<string, unknown> = {
    netuid,
    block,
    tempo: 360,
    immunityPeriod: 5000,
    burn: rao(0.5),
    maxUids: 256,
    numUids: n,
    ...SUBNET_PARAMS,
    alphaIn: rao(1_000_000),
    taoIn: rao(25_000),
    hotkeys: neurons.map((x) => x.hotkey),
    coldkeys: neurons.map((x) => x.coldkey),
    identities: neurons.map(() => null),
    axons: neurons.map((x) => ({
      block: 1,
      version: 1,
      ip: x.axon ? ipv4ToInteger(x.axon.ip) : 0n,
      port: x.axon?.port ?? 0,
      ipType: 4,
      protocol: 4,
    })),
    active: neurons.map(() => true),
    validatorPermit: neurons.map((x) => x.validatorPermit ?? false),
    pruningScore: neurons.map(() => 0),
    lastUpdate: neurons.map(() => block - 10),
    emission: neurons.map((x) => rao(x.emission ?? 0)),
    dividends: neurons.map(() => 0),
    incentives: neurons.map((x) => u16(x.incentive ?? 0)),
    consensus: neurons.map(() => 0),
    trust: neurons.map(() => 0),
    rank: neurons.map(() => 0),
    blockAtRegistration: neurons.map((x) => x.registeredAt ?? 100),
    alphaStake: neurons.map((x) => rao(x.stake)),
    taoStake: neurons.map(() => 0),
    totalStake: neurons.map((x) => rao(x.stake)),
  };
  for (const vector of layout.emptyVectors) fields[vector] = [];
  const answer = fixtureRegistry().createType('Option<PalletSubtensorRpcInfoMetagraph>', fields);
  // Option's toHex() drops the Some byte; the node sends the whole encoding.
  return u8aToHex(answer.toU8a());
}
