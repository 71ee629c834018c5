import { describe, expect, it } from 'vitest';
import type { Metagraph } from '../shared/domain/metagraph.js';
import { subnetParamRows } from './subnet-params.js';

const metagraph = (more: Partial<Metagraph>): Metagraph => ({
  netuid: 72,
  block: 1000,
  tempo: 360,
  immunityPeriod: 5000,
  burn: 0,
  maxUids: 256,
  alphaPrice: null,
  params: {
    kappa: null,
    commitRevealEnabled: null,
    commitRevealPeriod: null,
    maxWeightsLimit: null,
    activityCutoff: null,
  },
  neurons: [],
  deprecatedEmpty: [],
  ...more,
});

const listed = (m: Metagraph): Record<string, string> =>
  Object.fromEntries(subnetParamRows(m).map((row) => [row.label, row.value]));

describe("the subnet's parameters on the Metagraph page", () => {
  it('reads each in its unit, the activity cutoff also in hours at 12 s a block', () => {
    const shown = listed(
      metagraph({
        params: {
          kappa: 0.5,
          commitRevealEnabled: true,
          commitRevealPeriod: 1,
          maxWeightsLimit: 0.1,
          activityCutoff: 5000,
        },
        deprecatedEmpty: ['trust', 'rank'],
      }),
    );
    expect(shown).toEqual({
      Kappa: '0.500 of validator stake',
      'Commit-reveal': 'on, weights revealed after 1 tempo',
      'Max weights limit': '0.100',
      'Activity cutoff': '5000 blocks (~16.7 h)',
      'Empty (deprecated)': 'trust, rank',
    });
  });

  it('says what the source does not give rather than showing a default', () => {
    expect(listed(metagraph({}))).toEqual({
      Kappa: '—',
      'Commit-reveal': '—',
      'Max weights limit': '—',
      'Activity cutoff': '—',
    });
    const off = metagraph({});
    off.params.commitRevealEnabled = false;
    off.params.commitRevealPeriod = 3;
    expect(listed(off)['Commit-reveal']).toBe('off');
  });
});
