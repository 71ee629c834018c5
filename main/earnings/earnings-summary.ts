/** The whole earnings picture from the readings, the operator's economics and the imported USD prices. */
import type { EarningsSummary, EconomicsSettings, EmissionReading } from '../../shared/domain/earnings.js';
import { dailyCosts } from './costs.js';
import { earningsDays, type UsdPrice } from './daily-earnings.js';
import { breakEven, decision, meanNetUsd } from './verdicts.js';

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

/** The imported price for the day, else the one entered in Settings, else none. */
export function usdPriceOn(
  date: string,
  imported: ReadonlyMap<string, number>,
  entered: number | null,
): UsdPrice | null {
  const usd = imported.get(date);
  if (usd !== undefined) return { usd, source: 'imported' };
  return entered === null ? null : { usd: entered, source: 'entered' };
}

export function earningsSummary(
  readings: readonly EmissionReading[],
  economics: EconomicsSettings,
  importedUsd: ReadonlyMap<string, number>,
  limitDays: number,
): EarningsSummary {
  const newest = readings.at(-1);
  // The local subnet has no pool: its α is valued at the fixed rehearsal price.
  const priced = readings.map((reading) =>
    reading.source === 'local' ? { ...reading, taoPerAlpha: economics.rehearsalTaoPerAlpha } : reading,
  );
  const costs = dailyCosts(economics);
  const days = earningsDays(priced, {
    usdPerTao: (date) => usdPriceOn(date, importedUsd, economics.taoUsd),
    costPerDayUsd: costs.total,
    oneOffUsd: economics.oneOffUsd,
  });
  const last = days.at(-1);
  const recentNetUsdPerDay = meanNetUsd(days.slice(-economics.decisionDay));
  const taoDays = days.map((day) => day.taoPerDay);
  return {
    network: newest ? { source: newest.source, netuid: newest.netuid } : null,
    taoPriceSource: newest ? (newest.source === 'local' ? 'rehearsal' : 'chain') : null,
    days: days.slice(-limitDays),
    costs,
    oneOffUsd: economics.oneOffUsd,
    totals: {
      days: days.length,
      alpha: sum(days.map((day) => day.alphaPerDay)),
      tao: taoDays.includes(null) ? null : sum(taoDays as number[]),
      earningsUsd: last?.cumulativeEarningsUsd ?? (last ? null : 0),
      costUsd: last?.cumulativeCostUsd ?? 0,
      netUsd: last?.cumulativeNetUsd ?? (last ? null : 0),
    },
    recentNetUsdPerDay,
    breakEven: breakEven(days, recentNetUsdPerDay),
    decision: decision(days, economics.decisionDay),
  };
}
