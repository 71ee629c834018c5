import { describe, expect, it } from 'vitest';
import type { Metagraph, Standing } from '../../shared/domain/metagraph.js';
import { standingAlerts } from './standing-alerts.js';

const standing = (more: Partial<Standing>): Standing => ({
  uid: 3,
  rank: 4,
  miners: 40,
  percentile: 90,
  incentive: 0.05,
  trust: 0,
  emissionPerDayAlpha: 10,
  emissionPerDayTao: null,
  blocksSinceUpdate: 0,
  immunityBlocksLeft: 0,
  deregistration: 'safe',
  prunedBeforeUs: 10,
  ...more,
});

const metagraph = (axon: { ip: string; port: number } | null): Metagraph => ({
  netuid: 72,
  block: 5000,
  tempo: 360,
  immunityPeriod: 5000,
  burn: 0,
  maxUids: 256,
  alphaPrice: null,
  neurons: [
    {
      uid: 3,
      hotkey: 'ours',
      coldkey: 'c',
      active: true,
      validatorPermit: false,
      stake: 0,
      incentive: 0.05,
      consensus: 0,
      dividends: 0,
      trust: 0,
      rank: 0,
      emission: 1,
      lastUpdate: 0,
      registeredAt: 0,
      axon,
    },
  ],
});

const at = { ip: '203.0.113.5', port: 8091 };
const base = { ourHotkey: 'ours', servingAt: at, rankDropPlaces: 5, metagraph: metagraph(at) };

describe('alerts on our standing', () => {
  it('fires when the rank falls by more than the set places, and not for a smaller fall', () => {
    expect(standingAlerts({ ...base, previous: standing({ rank: 4 }), current: standing({ rank: 10 }) })).toEqual([
      expect.objectContaining({ kind: 'rank-drop', message: 'Rank fell from 4 to 10 of 40 miners.' }),
    ]);
    expect(standingAlerts({ ...base, previous: standing({ rank: 4 }), current: standing({ rank: 9 }) })).toEqual([]);
    expect(standingAlerts({ ...base, previous: null, current: standing({ rank: 30 }) })).toEqual([]);
  });

  it('fires when immunity ends in the bottom decile, not when it ends higher up', () => {
    const before = standing({ immunityBlocksLeft: 12 });
    expect(
      standingAlerts({ ...base, previous: before, current: standing({ immunityBlocksLeft: 0, percentile: 7.5 }) }),
    ).toEqual([expect.objectContaining({ kind: 'immunity-ended-low' })]);
    expect(
      standingAlerts({ ...base, previous: before, current: standing({ immunityBlocksLeft: 0, percentile: 50 }) }),
    ).toEqual([]);
  });

  it('fires when the chain advertises another ip or port than where the axon serves', () => {
    const current = standing({});
    expect(
      standingAlerts({ ...base, previous: null, current, metagraph: metagraph({ ip: '198.51.100.1', port: 8091 }) }),
    ).toEqual([
      expect.objectContaining({
        kind: 'axon-mismatch',
        message: expect.stringContaining('198.51.100.1:8091') as unknown,
      }),
    ]);
    expect(standingAlerts({ ...base, previous: null, current, metagraph: metagraph(null) })).toHaveLength(1);
    expect(standingAlerts({ ...base, previous: null, current, servingAt: null, metagraph: metagraph(null) })).toEqual(
      [],
    );
  });
});
