/**
 * `SubnetInfoRuntimeApi.get_metagraph`'s answer (per-uid vectors) → one record per uid. u16
 * fractions are x / 65535; balances are in rao (10⁻⁹); an axon's ip is an integer.
 *
 * Runtimes drop per-uid vectors as the chain stops computing them (since spec 401 trust, rank
 * and pruning_score come empty), so only the vectors the console mines with must be whole; one
 * it can do without reads as zeros when missing or empty, and the metagraph says which.
 */
import type { Codec } from '@polkadot/types/types';
import type { Metagraph, Neuron, OptionalNeuronField, SubnetParams } from '../../shared/domain/metagraph.js';
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

/** The vectors besides hotkeys the console cannot mine without: permits, stake, axons, and pay. */
type RequiredVector = 'axons' | 'validatorPermit' | 'totalStake' | 'incentives' | 'emission' | 'blockAtRegistration';

/** The chain's name of each vector the console can do without. */
const OPTIONAL: Record<OptionalNeuronField, string> = {
  coldkey: 'coldkeys',
  active: 'active',
  consensus: 'consensus',
  dividends: 'dividends',
  trust: 'trust',
  rank: 'rank',
  lastUpdate: 'lastUpdate',
};

/**
 * `specVersion`: the runtime that answered, named in every failure (a layout the decoder does not
 * know is what a newer runtime looks like).
 */
export function decodeMetagraph(result: Codec, specVersion: number | null = null): Metagraph {
  const runtime = specVersion === null ? 'the runtime' : `runtime spec version ${specVersion}`;
  const json = result.toJSON();
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new MetagraphDecodeError('the chain has no such subnet');
  const m = json as Json;
  const hotkeys = m.hotkeys;
  if (!Array.isArray(hotkeys))
    throw new MetagraphDecodeError(`get_metagraph under ${runtime} has no hotkeys, which the console needs`);
  const n = hotkeys.length;

  const required = (field: RequiredVector): unknown[] => {
    const value = m[field];
    if (!Array.isArray(value))
      throw new MetagraphDecodeError(`get_metagraph under ${runtime} has no ${field}, which the console needs`);
    if (value.length !== n)
      throw new MetagraphDecodeError(
        `get_metagraph under ${runtime} gives ${value.length} ${field} for ${n} uids; the console needs one per uid`,
      );
    return value;
  };
  const deprecatedEmpty: OptionalNeuronField[] = [];
  const optional = (field: OptionalNeuronField): unknown[] | null => {
    const value = m[OPTIONAL[field]];
    if (!Array.isArray(value) || (value.length === 0 && n > 0)) {
      deprecatedEmpty.push(field);
      return null;
    }
    // Neither whole nor empty: a layout this decoder does not know, not a dropped field.
    if (value.length !== n)
      throw new MetagraphDecodeError(
        `get_metagraph under ${runtime} gives ${value.length} ${OPTIONAL[field]} for ${n} uids`,
      );
    return value as unknown[];
  };

  const axons = required('axons') as Json[];
  const permits = required('validatorPermit');
  const totalStake = required('totalStake');
  const incentives = required('incentives');
  const emission = required('emission');
  const registeredAt = required('blockAtRegistration');
  const coldkeys = optional('coldkey');
  const active = optional('active');
  const consensus = optional('consensus');
  const dividends = optional('dividends');
  const trust = optional('trust');
  const rank = optional('rank');
  const lastUpdate = optional('lastUpdate');

  const neurons: Neuron[] = hotkeys.map((hotkey, uid) => {
    const axon = axons[uid]!;
    const ip = big(axon.ip);
    return {
      uid,
      hotkey: String(hotkey),
      coldkey: coldkeys ? String(coldkeys[uid]) : '',
      active: active ? Boolean(active[uid]) : false,
      validatorPermit: Boolean(permits[uid]),
      stake: units(totalStake[uid]),
      incentive: fraction(incentives[uid]),
      consensus: consensus ? fraction(consensus[uid]) : 0,
      dividends: dividends ? fraction(dividends[uid]) : 0,
      trust: trust ? fraction(trust[uid]) : 0,
      rank: rank ? fraction(rank[uid]) : 0,
      emission: units(emission[uid]),
      lastUpdate: lastUpdate ? int(lastUpdate[uid]) : 0,
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
    params: subnetParams(m),
    neurons,
    deprecatedEmpty,
  };
}

/** Kappa and the weights limit are u16 fractions; the reveal period counts tempos; the cutoff, blocks. */
function subnetParams(m: Json): SubnetParams {
  const present = (field: string): boolean => m[field] !== undefined && m[field] !== null;
  return {
    kappa: present('kappa') ? fraction(m.kappa) : null,
    commitRevealEnabled: present('commitRevealWeightsEnabled') ? Boolean(m.commitRevealWeightsEnabled) : null,
    commitRevealPeriod: present('commitRevealPeriod') ? int(m.commitRevealPeriod) : null,
    maxWeightsLimit: present('maxWeightsLimit') ? fraction(m.maxWeightsLimit) : null,
    activityCutoff: present('activityCutoff') ? int(m.activityCutoff) : null,
  };
}
