import { Keyring } from '@polkadot/keyring';
import { hexToU8a } from '@polkadot/util';
import { describe, expect, it } from 'vitest';
import {
  fixtureRegistry,
  metagraphAnswer,
  RUNTIME_401,
  type PlannedNeuron,
  type RuntimeLayout,
} from '../../tests/subtensor-fixture.js';
import { decodeMetagraph, MetagraphDecodeError } from './decode-metagraph.js';
import { ipFromInteger, ipv4ToInteger } from './ip-address.js';

const keyring = new Keyring({ type: 'ed25519', ss58Format: 42 });
const account = (name: string): string => keyring.addFromUri(`//${name}`).address;

const decoded = (neurons: PlannedNeuron[], layout?: RuntimeLayout) =>
  decodeMetagraph(
    fixtureRegistry().createType(
      'Option<PalletSubtensorRpcInfoMetagraph>',
      hexToU8a(metagraphAnswer(72, 6_000_123, neurons, layout)),
    ),
    layout?.specVersion ?? 300,
  );

describe("the metagraph from subtensor's runtime API", () => {
  it('decodes the SCALE answer built from the real metadata into one record per uid', () => {
    const answer = metagraphAnswer(72, 6_000_123, [
      { hotkey: account('V'), coldkey: account('VC'), stake: 250_000, validatorPermit: true },
      {
        hotkey: account('M1'),
        coldkey: account('MC'),
        stake: 12.5,
        incentive: 0.25,
        emission: 3.75,
        axon: { ip: '203.0.113.7', port: 8091 },
      },
      { hotkey: account('M2'), coldkey: account('MC'), stake: 0, incentive: 0.75, registeredAt: 5_999_000 },
    ]);
    const codec = fixtureRegistry().createType('Option<PalletSubtensorRpcInfoMetagraph>', hexToU8a(answer));
    const metagraph = decodeMetagraph(codec);
    expect(metagraph).toMatchObject({
      netuid: 72,
      block: 6_000_123,
      tempo: 360,
      immunityPeriod: 5000,
      burn: 0.5,
      alphaPrice: 0.025,
    });
    expect(metagraph.neurons).toHaveLength(3);
    expect(metagraph.neurons[0]).toMatchObject({
      uid: 0,
      hotkey: account('V'),
      validatorPermit: true,
      stake: 250_000,
      axon: null,
    });
    expect(metagraph.neurons[1]).toMatchObject({
      uid: 1,
      coldkey: account('MC'),
      stake: 12.5,
      emission: 3.75,
      axon: { ip: '203.0.113.7', port: 8091 },
    });
    expect(metagraph.neurons[1]!.incentive).toBeCloseTo(0.25, 4);
    expect(metagraph.neurons[2]).toMatchObject({ registeredAt: 5_999_000, validatorPermit: false });
  });

  it("reads the subnet's consensus settings in their units", () => {
    const { params } = decoded([{ hotkey: account('V'), coldkey: account('VC'), stake: 1 }]);
    expect(params).toMatchObject({ commitRevealEnabled: true, commitRevealPeriod: 2, activityCutoff: 7200 });
    expect(params.kappa).toBeCloseTo(0.6, 4);
    expect(params.maxWeightsLimit).toBeCloseTo(0.1, 4);
  });

  it("reads today's runtime, which sends trust, rank and pruning_score empty, as zeros it names", () => {
    const neurons: PlannedNeuron[] = [
      { hotkey: account('V'), coldkey: account('VC'), stake: 250_000, validatorPermit: true },
      { hotkey: account('M1'), coldkey: account('MC'), stake: 2, incentive: 0.5, emission: 1.5 },
    ];
    const metagraph = decoded(neurons, RUNTIME_401);
    expect(metagraph.neurons[1]).toMatchObject({ coldkey: account('MC'), trust: 0, rank: 0, emission: 1.5 });
    expect(metagraph.neurons[1]!.incentive).toBeCloseTo(0.5, 4);
    expect(metagraph.deprecatedEmpty).toEqual(['trust', 'rank']);
    // Any vector the console can do without reads the same way, should a later runtime drop it too.
    const drops = ['coldkeys', 'active', 'consensus', 'dividends', 'lastUpdate'];
    expect(decoded(neurons, { specVersion: 402, emptyVectors: drops }).deprecatedEmpty).toEqual([
      'coldkey',
      'active',
      'consensus',
      'dividends',
      'lastUpdate',
    ]);
    // An older runtime's full vectors are readings, not gaps.
    expect(decoded([{ hotkey: account('V'), coldkey: account('VC'), stake: 1 }]).deprecatedEmpty).toEqual([]);
  });

  it('still refuses a metagraph without a field the console mines with, naming it and the runtime', () => {
    const neurons = [{ hotkey: account('M1'), coldkey: account('MC'), stake: 2 }];
    for (const vector of ['incentives', 'emission', 'validatorPermit', 'totalStake', 'blockAtRegistration', 'axons'])
      expect(() => decoded(neurons, { specVersion: 402, emptyVectors: ['trust', vector] })).toThrow(
        new RegExp(`runtime spec version 402 gives 0 ${vector} for 1 uids; the console needs one per uid`),
      );
  });

  it('says so when the subnet does not exist', () => {
    const none = fixtureRegistry().createType('Option<PalletSubtensorRpcInfoMetagraph>', null);
    expect(() => decodeMetagraph(none)).toThrow(MetagraphDecodeError);
  });

  it('writes the chain’s integer addresses as IPv4 and IPv6', () => {
    expect(ipFromInteger(0xcb007107n, 4)).toBe('203.0.113.7');
    expect(ipFromInteger((0x20010db8n << 96n) + 1n, 6)).toBe('2001:db8:0:0:0:0:0:1');
    expect(ipv4ToInteger('203.0.113.7')).toBe(0xcb007107n);
    expect(() => ipv4ToInteger('203.0.113.256')).toThrow(/not an IPv4 address/);
  });
});
