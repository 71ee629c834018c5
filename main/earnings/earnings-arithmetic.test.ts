import { describe, expect, it } from 'vitest';
import { DEFAULT_ECONOMICS, type EconomicsSettings, type EmissionReading } from '../../shared/domain/earnings.js';
import { dailyCosts } from './costs.js';
import { earningsCsv } from './earnings-csv.js';
import { earningsSummary } from './earnings-summary.js';
import { alphaPerDay, electricityPerDay, rentPerDay, temposPerDay, utcDay } from './units.js';

/** A finney reading; a tempo of 359 blocks makes an epoch every 360 blocks: 7200 / 360 = 20 tempos a day. */
const reading = (time: string, emissionPerTempo: number, taoPerAlpha: number | null): EmissionReading => ({
  time,
  source: 'chain',
  netuid: 72,
  uid: 17,
  emissionPerTempo,
  tempo: 359,
  taoPerAlpha,
});

/**
 * Two days by hand.
 * 2026-03-01: 0.5 α and 1.5 α a tempo at 0.02 and 0.03 TAO/α → 1.0 α/tempo × 20 = 20 α/day,
 *   × 0.025 TAO/α = 0.5 TAO/day, × 400 USD/TAO (imported) = 200 USD.
 * 2026-03-02: 0.25 α at 0.04 → 5 α/day, 0.2 TAO/day, × 300 USD/TAO (entered) = 60 USD.
 */
const HISTORY = [
  reading('2026-03-01T00:10:00Z', 0.5, 0.02),
  reading('2026-03-01T12:00:00Z', 1.5, 0.03),
  reading('2026-03-02T08:00:00Z', 0.25, 0.04),
];
const IMPORTED = new Map([['2026-03-01', 400]]);

/**
 * Costs per day: inference 0.25 USD/h × 24 = 6; training 146 USD/month ÷ (365/12) = 4.8;
 * electricity 0.30 USD/kWh × 0.5 kW × 24 h = 3.6; other 36.5 USD/month ÷ (365/12) = 1.2.
 * Total 15.6 USD/day; 250 USD one-off.
 */
const ECONOMICS: EconomicsSettings = {
  ...DEFAULT_ECONOMICS,
  inferenceGpu: { usd: 0.25, per: 'hour' },
  trainingGpu: { usd: 146, per: 'month' },
  electricityUsdPerKwh: 0.3,
  watts: 500,
  hoursPerDay: 24,
  otherUsdPerMonth: 36.5,
  oneOffUsd: 250,
  taoUsd: 300,
  decisionDay: 14,
};

describe('unit conversions', () => {
  it('turns α per tempo into α per day at 7200 blocks a day, an epoch every tempo + 1 blocks', () => {
    expect(temposPerDay(359)).toBe(20);
    // finney's tempo 360: 7200 / 361 epochs a day.
    expect(temposPerDay(360)).toBeCloseTo(19.9446, 4);
    expect(alphaPerDay(0.75, 359)).toBe(15);
  });

  it('turns hourly and monthly rent, and watts, into USD per day', () => {
    expect(rentPerDay({ usd: 0.5, per: 'hour' })).toBe(12);
    // A month is a twelfth of 365 days: 365 USD a month is 12 USD a day.
    expect(rentPerDay({ usd: 365, per: 'month' })).toBeCloseTo(12, 10);
    // 0.25 USD/kWh × 0.35 kW × 10 h = 0.875 USD.
    expect(electricityPerDay(0.25, 350, 10)).toBeCloseTo(0.875, 10);
  });

  it('puts a reading on its UTC day', () => {
    expect(utcDay('2026-03-01T23:59:59Z')).toBe('2026-03-01');
    expect(utcDay('2026-03-02T01:30:00+02:00')).toBe('2026-03-01');
  });

  it('sums the costs by item', () => {
    const costs = dailyCosts(ECONOMICS);
    expect(costs.inferenceGpu).toBeCloseTo(6, 10);
    expect(costs.trainingGpu).toBeCloseTo(4.8, 10);
    expect(costs.electricity).toBeCloseTo(3.6, 10);
    expect(costs.other).toBeCloseTo(1.2, 10);
    expect(costs.total).toBeCloseTo(15.6, 10);
  });
});

describe('earnings on a hand-checked history', () => {
  it('gives each day its α, TAO, USD, cost, net and running totals', () => {
    const summary = earningsSummary(HISTORY, ECONOMICS, IMPORTED, 90);
    expect(summary.network).toEqual({ source: 'chain', netuid: 72 });
    expect(summary.taoPriceSource).toBe('chain');
    const [first, second] = summary.days;
    expect(summary.days).toHaveLength(2);
    expect(first).toMatchObject({ date: '2026-03-01', readings: 2, usdPriceSource: 'imported', usdPerTao: 400 });
    expect(first!.alphaPerTempo).toBeCloseTo(1, 10);
    expect(first!.alphaPerDay).toBeCloseTo(20, 10);
    expect(first!.taoPerAlpha).toBeCloseTo(0.025, 10);
    expect(first!.taoPerDay).toBeCloseTo(0.5, 10);
    expect(first!.earningsUsd).toBeCloseTo(200, 8);
    // 200 − 15.6 = 184.4; cumulative cost 250 + 15.6 = 265.6; cumulative net 200 − 265.6 = −65.6.
    expect(first!.netUsd).toBeCloseTo(184.4, 8);
    expect(first!.cumulativeCostUsd).toBeCloseTo(265.6, 8);
    expect(first!.cumulativeNetUsd).toBeCloseTo(-65.6, 8);
    expect(second).toMatchObject({ date: '2026-03-02', readings: 1, usdPriceSource: 'entered', usdPerTao: 300 });
    expect(second!.alphaPerDay).toBeCloseTo(5, 10);
    expect(second!.taoPerDay).toBeCloseTo(0.2, 10);
    // 60 − 15.6 = 44.4; cumulative 260 earned, 281.2 spent, −21.2 net.
    expect(second!.earningsUsd).toBeCloseTo(60, 8);
    expect(second!.netUsd).toBeCloseTo(44.4, 8);
    expect(second!.cumulativeEarningsUsd).toBeCloseTo(260, 8);
    expect(second!.cumulativeCostUsd).toBeCloseTo(281.2, 8);
    expect(second!.cumulativeNetUsd).toBeCloseTo(-21.2, 8);
    // 20 + 5 α; 0.5 + 0.2 TAO.
    expect(summary.totals.days).toBe(2);
    expect(summary.totals.alpha).toBeCloseTo(25, 10);
    expect(summary.totals.tao).toBeCloseTo(0.7, 10);
    expect(summary.totals.netUsd).toBeCloseTo(-21.2, 8);
    // (184.4 + 44.4) / 2 = 114.4 a day; 21.2 short: one more day.
    expect(summary.recentNetUsdPerDay).toBeCloseTo(114.4, 8);
    expect(summary.breakEven).toEqual({ state: 'ahead', days: 1 });
    expect(summary.decision.text).toBe('Day 2 of 14: profitable so far (by 114.40 USD/day)');
  });

  it('counts a day the console was off: nothing seen earned, its costs paid', () => {
    // 2026-03-01 as above (200 USD earned), nothing on 03-02, then 03-03 like 03-02 above
    // (0.25 α/tempo at 0.04 → 0.2 TAO, × 300 entered = 60 USD). Three days of 15.6 USD, 250 once.
    const gap = [HISTORY[0]!, HISTORY[1]!, reading('2026-03-03T08:00:00Z', 0.25, 0.04)];
    const { days, totals } = earningsSummary(gap, ECONOMICS, IMPORTED, 30);
    expect(days.map((day) => day.date)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
    const off = days[1]!;
    expect(off).toMatchObject({ readings: 0, alphaPerDay: 0, taoPerDay: 0, earningsUsd: 0 });
    expect(off.costUsd).toBeCloseTo(15.6, 10);
    expect(off.netUsd).toBeCloseTo(-15.6, 10);
    // Cost 250 + 3 × 15.6 = 296.8 against 200 + 0 + 60 = 260 earned.
    expect(totals.days).toBe(3);
    expect(totals.costUsd).toBeCloseTo(296.8, 10);
    expect(totals.netUsd).toBeCloseTo(260 - 296.8, 10);
  });

  it('lists only the newest days asked for, but totals the whole history', () => {
    const summary = earningsSummary(HISTORY, ECONOMICS, IMPORTED, 1);
    expect(summary.days.map((day) => day.date)).toEqual(['2026-03-02']);
    expect(summary.totals.alpha).toBeCloseTo(25, 10);
  });

  it('values the local subnet’s α at the fixed rehearsal price', () => {
    const local = HISTORY.map((r) => ({ ...r, source: 'local' as const, taoPerAlpha: null }));
    const summary = earningsSummary(local, { ...ECONOMICS, rehearsalTaoPerAlpha: 0.1 }, IMPORTED, 90);
    expect(summary.taoPriceSource).toBe('rehearsal');
    // 20 α × 0.1 = 2 TAO; × 400 = 800 USD.
    expect(summary.days[0]!.taoPerDay).toBeCloseTo(2, 10);
    expect(summary.days[0]!.earningsUsd).toBeCloseTo(800, 8);
  });

  it('leaves USD unknown without a price, and says what to enter', () => {
    const summary = earningsSummary(HISTORY, { ...ECONOMICS, taoUsd: null }, new Map(), 90);
    expect(summary.days[0]!.earningsUsd).toBeNull();
    expect(summary.days[0]!.alphaPerDay).toBeCloseTo(20, 10);
    expect(summary.breakEven).toEqual({ state: 'unknown' });
    expect(summary.decision.profitable).toBeNull();
    expect(summary.decision.text).toMatch(/Enter the TAO price in USD/);
  });

  it('says there is nothing yet before the first reading', () => {
    const summary = earningsSummary([], ECONOMICS, IMPORTED, 90);
    expect(summary.network).toBeNull();
    expect(summary.days).toEqual([]);
    expect(summary.decision.text).toBe('No emission recorded yet: the decision comes after 14 days of mining.');
  });
});

describe('the decision and the break-even on either side', () => {
  it('profitable after N days, by the mean net over those days', () => {
    const summary = earningsSummary(HISTORY, { ...ECONOMICS, decisionDay: 2 }, IMPORTED, 90);
    expect(summary.decision).toMatchObject({ due: true, daysObserved: 2, profitable: true });
    expect(summary.decision.text).toBe('After 2 days: profitable (by 114.40 USD/day)');
  });

  it('not profitable after N days, by how much a day; it never breaks even at that rate', () => {
    // Inference at 10 USD/h: 240 + 4.8 + 3.6 + 1.2 = 249.6 a day; nets −49.6 and −189.6, mean −119.6.
    const dear = { ...ECONOMICS, decisionDay: 2, inferenceGpu: { usd: 10, per: 'hour' as const } };
    const summary = earningsSummary(HISTORY, dear, IMPORTED, 90);
    expect(summary.decision).toMatchObject({ due: true, profitable: false });
    expect(summary.decision.text).toBe('After 2 days: not profitable (by 119.60 USD/day)');
    expect(summary.breakEven).toEqual({ state: 'never' });
  });

  it('the decision rests on the first N days, later days aside', () => {
    // Day 1 alone: net 184.4.
    const summary = earningsSummary(HISTORY, { ...ECONOMICS, decisionDay: 1 }, IMPORTED, 90);
    expect(summary.decision.text).toBe('After 1 day: profitable (by 184.40 USD/day)');
    // The projection uses the latest day: 44.4 a day.
    expect(summary.recentNetUsdPerDay).toBeCloseTo(44.4, 8);
  });

  it('break-even reached: the day since which cumulative net stayed at or above zero', () => {
    // No one-off cost: 184.4 after day 1.
    expect(earningsSummary(HISTORY, { ...ECONOMICS, oneOffUsd: 0 }, IMPORTED, 90).breakEven).toEqual({
      state: 'reached',
      day: 1,
    });
    // 200 one-off: −31.2 after day 1, +13.2 after day 2.
    expect(earningsSummary(HISTORY, { ...ECONOMICS, oneOffUsd: 200 }, IMPORTED, 90).breakEven).toEqual({
      state: 'reached',
      day: 2,
    });
  });
});

describe('the CSV export', () => {
  it('writes a header and a line a day, without float noise, empty where unknown', () => {
    const summary = earningsSummary(HISTORY, { ...ECONOMICS, taoUsd: null }, IMPORTED, 90);
    const lines = earningsCsv(summary.days).trimEnd().split('\n');
    expect(lines[0]).toBe(
      'date,readings,alpha_per_tempo,alpha_per_day,tao_per_alpha,tao_per_day,usd_per_tao,usd_price_source,earnings_usd,cost_usd,net_usd,cumulative_earnings_usd,cumulative_cost_usd,cumulative_net_usd',
    );
    expect(lines[1]).toBe('2026-03-01,2,1,20,0.025,0.5,400,imported,200,15.6,184.4,200,265.6,-65.6');
    // No price for the second day: its USD cells, and the running USD totals from then on, are empty.
    expect(lines[2]).toBe('2026-03-02,1,0.25,5,0.04,0.2,,,,15.6,,,281.2,');
  });
});
