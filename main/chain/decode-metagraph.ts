/**
 * `SubnetInfoRuntimeApi.get_metagraph`'s answer (per-uid vectors) → one record per uid. u16
 * fractions are x / 65535; balances are in rao (10⁻⁹); an axon's ip is an integer.
 */
import type { Codec } from '@polkadot/types/types';
import type { Metagraph, Neuron } from '../../shared/domain/metagraph.js';
import { ipFromInteger } from './ip-address.js';

const U16_MAX = 65_535;
const RAO_PER_UNIT = 1e9;

type Json = Record<string, unknown>;

export class MetagraphDecodeError extends Error {}

/** A chain integer as toJSON gives it: a number, or a hex or decimal string when it is large. */
function big(value: unknown): bigint {
  if (typeof value === 'number') return BigInt(value);
  if (typeof value === 'string') return BigInt(value);
  if (typeof value === 'bigint') return value;
  throw new MetagraphDecodeError(`expected an integer, got ${JSON.stringify(value)}`);
}

const int = (value: unknown): number => Number(big(value));
const fraction = (value: unknown): number => int(value) / U16_MAX;
const units = (value: unknown): number => Number(big(value)) / RAO_PER_UNIT;

function vector(metagraph: Json, field: string, length: number): unknown[] {
  const value = metagraph[field];
  if (!Array.isArray(value)) throw new MetagraphDecodeError(`the metagraph has no ${field}`);
  if (value.length !== length)
    throw new MetagraphDecodeError(`the metagraph's ${field} has ${value.length} entries for ${length} uids`);
  return value;
}

export function decodeMetagraph(result: Codec): Metagraph {
  const json = result.toJSON();
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new MetagraphDecodeError('the chain has no such subnet');
  const m = json as Json;
  const hotkeys = m.hotkeys;
  if (!Array.isArray(hotkeys)) throw new MetagraphDecodeError('the metagraph has no hotkeys');
  const n = hotkeys.length;
  const coldkeys = vector(m, 'coldkeys', n);
  const axons = vector(m, 'axons', n) as Json[];
  const active = vector(m, 'active', n);
  const permits = vector(m, 'validatorPermit', n);
  const lastUpdate = vector(m, 'lastUpdate', n);
  const emission = vector(m, 'emission', n);
  const dividends = vector(m, 'dividends', n);
  const incentives = vector(m, 'incentives', n);
  const consensus = vector(m, 'consensus', n);
  const trust = vector(m, 'trust', n);
  const rank = vector(m, 'rank', n);
  const registeredAt = vector(m, 'blockAtRegistration', n);
  const totalStake = vector(m, 'totalStake', n);
  const neurons: Neuron[] = hotkeys.map((hotkey, uid) => {
    const axon = axons[uid]!;
    const ip = big(axon.ip);
    return {
      uid,
      hotkey: String(hotkey),
      coldkey: String(coldkeys[uid]),
      active: Boolean(active[uid]),
      validatorPermit: Boolean(permits[uid]),
      stake: units(totalStake[uid]),
      incentive: fraction(incentives[uid]),
      consensus: fraction(consensus[uid]),
      dividends: fraction(dividends[uid]),
      trust: fraction(trust[uid]),
      rank: fraction(rank[uid]),
      emission: units(emission[uid]),
      lastUpdate: int(lastUpdate[uid]),
      registeredAt: int(registeredAt[uid]),
      axon: ip === 0n ? null : { ip: ipFromInteger(ip, int(axon.ipType)), port: int(axon.port) },
    };
  });
  return {
    netuid: int(m.netuid),
    block: int(m.block),
    tempo: int(m.tempo),
    immunityPeriod: int(m.immunityPeriod),
    burn: units(m.burn),
    maxUids: int(m.maxUids),
    alphaPrice: big(m.alphaIn) > 0n ? units(m.taoIn) / units(m.alphaIn) : null,
    neurons,
  };
}
