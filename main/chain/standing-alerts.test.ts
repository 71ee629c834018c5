import { describe, expect, it } from 'vitest';
import { standingAlerts } from './standing-alerts.js';
import { metagraph, standing } from './standing-fixtures.js';

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
