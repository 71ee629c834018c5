/**
 * What the days add up to: when mining breaks even, and the plan's decision point ("after N days:
 * profitable or not, by how much a day") in words the operator reads at a glance.
 */
import type { BreakEven, Decision, EarningsDay } from '../../shared/domain/earnings.js';

/** Mean net per day over some days; null when there are none or one lacks a USD price. */
export function meanNetUsd(days: readonly EarningsDay[]): number | null {
  if (days.length === 0 || days.some((day) => day.netUsd === null)) return null;
  return days.reduce((sum, day) => sum + day.netUsd!, 0) / days.length;
}

/**
 * Reached: the first day since which cumulative net (one-off costs included) has stayed at or
 * above zero. Otherwise projected at the recent net per day, or never when that is not positive.
 */
export function breakEven(days: readonly EarningsDay[], recentNetUsdPerDay: number | null): BreakEven {
  const cumulative = days.at(-1)?.cumulativeNetUsd ?? null;
  if (cumulative === null) return { state: 'unknown' };
  if (cumulative >= 0) {
    let day = days.length;
    while (day > 1 && (days[day - 2]!.cumulativeNetUsd ?? -1) >= 0) day--;
    return { state: 'reached', day };
  }
  if (recentNetUsdPerDay === null || recentNetUsdPerDay <= 0) return { state: 'never' };
  return { state: 'ahead', days: Math.ceil(-cumulative / recentNetUsdPerDay) };
}

const dayCount = (n: number): string => `${n} day${n === 1 ? '' : 's'}`;

/** The verdict over the first N days of the history; before day N, the same "so far". */
export function decision(days: readonly EarningsDay[], decisionDay: number): Decision {
  const window = days.slice(0, decisionDay);
  const due = days.length >= decisionDay;
  const netUsdPerDay = meanNetUsd(window);
  const base = { day: decisionDay, daysObserved: window.length, due, netUsdPerDay };
  if (window.length === 0)
    return {
      ...base,
      profitable: null,
      text: `No emission recorded yet: the decision comes after ${dayCount(decisionDay)} of mining.`,
    };
  if (netUsdPerDay === null)
    return {
      ...base,
      profitable: null,
      text: 'Enter the TAO price in USD (or import a price list) to see whether mining pays.',
    };
  const profitable = netUsdPerDay >= 0;
  const verdict = `${profitable ? 'profitable' : 'not profitable'}${due ? '' : ' so far'}`;
  const by = `(by ${Math.abs(netUsdPerDay).toFixed(2)} USD/day)`;
  const when = due ? `After ${dayCount(decisionDay)}` : `Day ${window.length} of ${decisionDay}`;
  return { ...base, profitable, text: `${when}: ${verdict} ${by}` };
}
