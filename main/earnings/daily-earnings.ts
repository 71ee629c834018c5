/**
 * The metagraph history as days: each UTC day with readings of our uid becomes one row of α, TAO
 * and USD earned against the day's costs, with running totals from the first day. A day's α is
 * its readings' mean rate over a whole day, so a day the console read only a few tempos (it was
 * started late, or closed early) still counts as one day of mining, as its costs do. A day
 * between two with readings that has none (the console, and so the miner, was off) is a row of
 * its own: nothing observed earned, and the day's rent and power still paid.
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

/** Every UTC date from the first to the last, inclusive ("YYYY-MM-DD"). */
export function calendarDays(first: string, last: string): string[] {
  const dates: string[] = [];
  for (let at = Date.parse(`${first}T00:00:00Z`); at <= Date.parse(`${last}T00:00:00Z`); at += 86_400_000) {
    dates.push(new Date(at).toISOString().slice(0, 10));
  }
  return dates;
}

export function earningsDays(readings: readonly EmissionReading[], pricing: DayPricing): EarningsDay[] {
  const byDay = new Map<string, EmissionReading[]>();
  for (const reading of readings) {
    const day = utcDay(reading.time);
    byDay.set(day, [...(byDay.get(day) ?? []), reading]);
  }
  const observed = [...byDay.keys()].sort();
  if (observed.length === 0) return [];
  let cumulativeEarnings: number | null = 0;
  let cumulativeCost = pricing.oneOffUsd;
  let lastPrice: number | null = null;
  return calendarDays(observed[0]!, observed.at(-1)!).map((date) => {
    const day = byDay.get(date) ?? [];
    const prices = day.flatMap((reading) => (reading.taoPerAlpha === null ? [] : [reading.taoPerAlpha]));
    const alpha = day.length > 0 ? mean(day.map((reading) => alphaPerDay(reading.emissionPerTempo, reading.tempo))) : 0;
    // An unobserved day earned nothing that was seen; its (zero) α is valued at the last known price.
    const taoPerAlpha = prices.length > 0 ? mean(prices) : day.length === 0 ? lastPrice : null;
    lastPrice = taoPerAlpha ?? lastPrice;
    const taoPerDay = taoPerAlpha === null ? null : alpha * taoPerAlpha;
    const usd = pricing.usdPerTao(date);
    const earningsUsd = taoPerDay === null || usd === null ? null : taoPerDay * usd.usd;
    const costUsd = pricing.costPerDayUsd;
    cumulativeEarnings = cumulativeEarnings === null || earningsUsd === null ? null : cumulativeEarnings + earningsUsd;
    cumulativeCost += costUsd;
    return {
      date,
      readings: day.length,
      alphaPerTempo: day.length > 0 ? mean(day.map((reading) => reading.emissionPerTempo)) : 0,
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
