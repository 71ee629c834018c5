/** The days of a summary as CSV for a spreadsheet: one header line, one line per UTC day, empty where unknown. */
import type { EarningsDay } from '../../shared/domain/earnings.js';

const COLUMNS: readonly [string, (day: EarningsDay) => string | number | null][] = [
  ['date', (day) => day.date],
  ['readings', (day) => day.readings],
  ['alpha_per_tempo', (day) => day.alphaPerTempo],
  ['alpha_per_day', (day) => day.alphaPerDay],
  ['tao_per_alpha', (day) => day.taoPerAlpha],
  ['tao_per_day', (day) => day.taoPerDay],
  ['usd_per_tao', (day) => day.usdPerTao],
  ['usd_price_source', (day) => day.usdPriceSource],
  ['earnings_usd', (day) => day.earningsUsd],
  ['cost_usd', (day) => day.costUsd],
  ['net_usd', (day) => day.netUsd],
  ['cumulative_earnings_usd', (day) => day.cumulativeEarningsUsd],
  ['cumulative_cost_usd', (day) => day.cumulativeCostUsd],
  ['cumulative_net_usd', (day) => day.cumulativeNetUsd],
];

/** Numbers keep up to nine decimals (α's own precision), without float noise such as 0.30000000000000004. */
function cell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(Number(value.toFixed(9)));
  return value;
}

export function earningsCsv(days: readonly EarningsDay[]): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const day of days) lines.push(COLUMNS.map(([, read]) => cell(read(day))).join(','));
  return `${lines.join('\n')}\n`;
}
