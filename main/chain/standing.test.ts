import { describe, expect, it } from 'vitest';
import type { Metagraph, Neuron } from '../../shared/domain/metagraph.js';
import { standingOf } from './standing.js';
import { subnetParams } from './standing-fixtures.js';

const neuron = (uid: number, more: Partial<Neuron>): Neuron => ({
  uid,
  hotkey: `hk${uid}`,
  coldkey: `ck${uid}`,
  active: true,
  validatorPermit: false,
  stake: 0,
  incentive: 0,
  consensus: 0,
  dividends: 0,
  trust: 0,
  rank: 0,
  emission: 0,
  lastUpdate: 9_900,
  registeredAt: 0,
  axon: null,
  ...more,
});

const graph = (neurons: Neuron[]): Metagraph => ({
  netuid: 72,
  block: 10_000,
  tempo: 359,
  immunityPeriod: 5000,
  burn: 0.3,
  maxUids: 256,
  alphaPrice: 0.02,
  params: subnetParams,
  neurons,
  deprecatedEmpty: [],
});

describe("the operator's standing", () => {
  it('ranks among miners by incentive, with emission per day in α and TAO', () => {
    const standing = standingOf(
      graph([
        neuron(0, { validatorPermit: true, stake: 1e6, incentive: 0 }),
        neuron(1, { incentive: 0.5, emission: 10 }),
        neuron(2, { incentive: 0.3, emission: 6, lastUpdate: 9_000 }),
        neuron(3, { incentive: 0.2, emission: 4 }),
      ]),
      'hk2',
    )!;
    expect(standing).toMatchObject({ uid: 2, rank: 2, miners: 3, blocksSinceUpdate: 1000, deregistration: 'at-risk' });
    expect(standing.percentile).toBeCloseTo(66.67, 1);
    // 7200 blocks a day over tempos of 360: 20 tempos of 6 α.
    expect(standing.emissionPerDayAlpha).toBeCloseTo(120, 9);
    expect(standing.emissionPerDayTao).toBeCloseTo(2.4, 9);
  });

  it('counts only uids without a validator permit, as taostats ranks miners: a validator that earns is not one', () => {
    const standing = standingOf(
      graph([
        neuron(0, { validatorPermit: true, stake: 1e6, incentive: 0.4 }),
        neuron(1, { incentive: 0.3 }),
        neuron(2, { incentive: 0.2 }),
        neuron(3, { incentive: 0.3 }),
      ]),
      'hk2',
    )!;
    // Two miners earn more (ties with each other do not matter): position 3 of the 3 miners.
    expect(standing).toMatchObject({ rank: 3, miners: 3 });
  });

  it('counts immunity down, and puts the lowest-emission non-immune uids at risk (oldest first on ties)', () => {
    const neurons = [
      neuron(0, { emission: 0, registeredAt: 9_000 }), // immune: 4,000 blocks left
      ...Array.from({ length: 6 }, (_, i) =>
        neuron(i + 1, { emission: i < 3 ? 1 : 5 + i, registeredAt: 100 * (i + 1) }),
      ),
    ];
    expect(standingOf(graph(neurons), 'hk0')).toMatchObject({ deregistration: 'immune', immunityBlocksLeft: 4000 });
    expect(standingOf(graph(neurons), 'hk1')).toMatchObject({ deregistration: 'at-risk', prunedBeforeUs: 0 });
    expect(standingOf(graph(neurons), 'hk3')).toMatchObject({ deregistration: 'at-risk', prunedBeforeUs: 2 });
    expect(standingOf(graph(neurons), 'hk6')).toMatchObject({ deregistration: 'safe', immunityBlocksLeft: 0 });
  });

  it('is null for a hotkey that is not registered', () => {
    expect(standingOf(graph([neuron(0, {})]), 'nobody')).toBeNull();
  });
});
