import type { Metagraph, OptionalNeuronField } from '../shared/domain/metagraph.js';

/** Subtensor's target block time. */
const SECONDS_PER_BLOCK = 12;

const FIELD_NAMES: Record<OptionalNeuronField, string> = {
  coldkey: 'coldkeys',
  active: 'active',
  consensus: 'consensus',
  dividends: 'dividends',
  trust: 'trust',
  rank: 'rank',
  lastUpdate: 'last update',
};

const plural = (count: number, one: string): string => `${count} ${one}${count === 1 ? '' : 's'}`;

/** The subnet's consensus settings as the Metagraph page lists them, each in its unit; "—" where the source has none. */
export function subnetParamRows(metagraph: Metagraph): { label: string; value: string }[] {
  const { kappa, commitRevealEnabled, commitRevealPeriod, maxWeightsLimit, activityCutoff } = metagraph.params;
  const commitReveal =
    commitRevealEnabled === null
      ? '—'
      : !commitRevealEnabled
        ? 'off'
        : commitRevealPeriod === null
          ? 'on'
          : `on, weights revealed after ${plural(commitRevealPeriod, 'tempo')}`;
  const rows = [
    { label: 'Kappa', value: kappa === null ? '—' : `${kappa.toFixed(3)} of validator stake` },
    { label: 'Commit-reveal', value: commitReveal },
    { label: 'Max weights limit', value: maxWeightsLimit === null ? '—' : maxWeightsLimit.toFixed(3) },
    {
      label: 'Activity cutoff',
      value:
        activityCutoff === null
          ? '—'
          : `${plural(activityCutoff, 'block')} (~${((activityCutoff * SECONDS_PER_BLOCK) / 3600).toFixed(1)} h)`,
    },
  ];
  // Their zeros in the table are gaps, not readings.
  if (metagraph.deprecatedEmpty.length > 0)
    rows.push({
      label: 'Empty (deprecated)',
      value: metagraph.deprecatedEmpty.map((field) => FIELD_NAMES[field]).join(', '),
    });
  return rows;
}
