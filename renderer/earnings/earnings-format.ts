/** How the Earnings page and card write amounts and verdicts. */
import type { BreakEven, EarningsSummary } from '../../shared/domain/earnings.js';

export const formatUsd = (value: number | null): string => (value === null ? '—' : `${value.toFixed(2)} USD`);
export const formatAlpha = (value: number): string => `${value.toFixed(3)} α`;
export const formatTao = (value: number | null): string => (value === null ? '—' : `${value.toFixed(4)} TAO`);

const days = (n: number): string => `${n} day${n === 1 ? '' : 's'}`;

export function breakEvenText(breakEven: BreakEven): string {
  switch (breakEven.state) {
    case 'reached':
      return `Broke even on day ${breakEven.day}`;
    case 'ahead':
      return `Breaks even in ${days(breakEven.days)} at the recent net per day`;
    case 'never':
      return 'Does not break even at the recent net per day';
    case 'unknown':
      return 'Unknown without a TAO price in USD';
  }
}

/** Which history the figures come from, in the operator's words. */
export function networkText(summary: EarningsSummary): string {
  if (!summary.network) return 'No readings yet';
  const { source, netuid } = summary.network;
  return source === 'local'
    ? `Local rehearsal subnet (α at a fixed rehearsal price)`
    : `Live chain, netuid ${netuid} (α at the subnet pool's price)`;
}

/** Every cost zero: the net is the earnings, and the operator should know that is why. */
export const noCostsEntered = (summary: EarningsSummary): boolean =>
  summary.costs.total === 0 && summary.oneOffUsd === 0;
