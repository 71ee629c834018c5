/** A standing and a one-uid metagraph for the tests of our standing and of the alerts built on it. */
import type { Metagraph, Standing, SubnetParams } from '../../shared/domain/metagraph.js';

/** A subnet's consensus settings, for the tests that do not look at them. */
export const subnetParams: SubnetParams = {
  kappa: 0.5,
  commitRevealEnabled: false,
  commitRevealPeriod: 1,
  maxWeightsLimit: 1,
  activityCutoff: 5000,
};

export const standing = (more: Partial<Standing> = {}): Standing => ({
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

export const metagraph = (axon: { ip: string; port: number } | null, hotkey = 'ours'): Metagraph => ({
  netuid: 72,
  block: 5000,
  tempo: 360,
  immunityPeriod: 5000,
  burn: 0,
  maxUids: 256,
  alphaPrice: null,
  params: subnetParams,
  neurons: [
    {
      uid: 3,
      hotkey,
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
  deprecatedEmpty: [],
});
