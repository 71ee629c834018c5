/**
 * The metagraph history as days: each UTC day with readings of our uid becomes one row of α, TAO
 * and USD earned against the day's costs, with running totals from the first day. A day's α is
 * its readings' mean rate over a whole day, so a day the console read only a few tempos (it was
 * started late, or closed early) still counts as one day of mining, as its costs do.
 */
import type { EarningsDay, EmissionReading } from '../../shared/domain/earnings.js';
import { alphaPerDay, utcDay } from './units.js';

export interface UsdPrice {
  usd: number;
  source: NonNullable<EarningsDay['usdPriceSource']>;
}

export interface DayPricing {
  /** USD per TAO on a day, or null when none is known. */
  usdPerTao(date: string): UsdPrice | null;
  costPerDayUsd: number;
  /** Counted on the first day. */
  oneOffUsd: number;
}

const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

export function earningsDays(readings: readonly EmissionReading[], pricing: DayPricing): EarningsDay[] {
  const byDay = new Map<string, EmissionReading[]>();
  for (const reading of readings) {
    const day = utcDay(reading.time);
    byDay.set(day, [...(byDay.get(day) ?? []), reading]);
  }
  let cumulativeEarnings: number | null = 0;
  let cumulativeCost = pricing.oneOffUsd;
  return [...byDay.keys()].sort().map((date) => {
    const day = byDay.get(date)!;
    const prices = day.flatMap((reading) => (reading.taoPerAlpha === null ? [] : [reading.taoPerAlpha]));
    const alpha = mean(day.map((reading) => alphaPerDay(reading.emissionPerTempo, reading.tempo)));
    const taoPerAlpha = prices.length > 0 ? mean(prices) : null;
    const taoPerDay = taoPerAlpha === null ? null : alpha * taoPerAlpha;
    const usd = pricing.usdPerTao(date);
    const earningsUsd = taoPerDay === null || usd === null ? null : taoPerDay * usd.usd;
    const costUsd = pricing.costPerDayUsd;
    cumulativeEarnings = cumulativeEarnings === null || earningsUsd === null ? null : cumulativeEarnings + earningsUsd;
    cumulativeCost += costUsd;
    return {
      date,
      readings: day.length,
      alphaPerTempo: mean(day.map((reading) => reading.emissionPerTempo)),
      alphaPerDay: alpha,
      taoPerAlpha,
      taoPerDay,
      usdPerTao: usd?.usd ?? null,
      usdPriceSource: usd?.source ?? null,
      earningsUsd,
      costUsd,
      netUsd: earningsUsd === null ? null : earningsUsd - costUsd,
      cumulativeEarningsUsd: cumulativeEarnings,
      cumulativeCostUsd: cumulativeCost,
      cumulativeNetUsd: cumulativeEarnings === null ? null : cumulativeEarnings - cumulativeCost,
    };
  });
}
