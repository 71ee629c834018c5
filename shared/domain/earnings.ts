/**
 * Whether mining pays: our emission per day in α, TAO and USD against the operator's costs, per
 * UTC day of the metagraph history, with the running totals, the break-even and the plan's
 * decision. All amounts are plain numbers in the unit their name says (α, TAO, USD).
 */
import { z } from 'zod';

const Amount = z.number().finite();
const DateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** Where a day's TAO-per-α price came from: the subnet's pool on the chain, or the local subnet's fixed price. */
export const TaoPriceSourceSchema = z.enum(['chain', 'rehearsal']);
/** Where a day's USD-per-TAO price came from: the imported CSV for that date, or the price entered in Settings. */
export const UsdPriceSourceSchema = z.enum(['imported', 'entered']);

/** One UTC day with at least one metagraph reading of our uid. */
export const EarningsDaySchema = z.object({
  date: DateSchema,
  /** Tempos read that day (one reading per tempo); 0: the console was off all day (costs still count). */
  readings: z.number().int().min(0),
  /** Mean α our uid received per tempo over the day's readings. */
  alphaPerTempo: Amount,
  /** That rate over a whole day: α per tempo × tempos per day (7200 blocks / (tempo + 1)). */
  alphaPerDay: Amount,
  /** The day's mean pool price, TAO per α; null when the chain gave none. */
  taoPerAlpha: Amount.nullable(),
  taoPerDay: Amount.nullable(),
  usdPerTao: Amount.nullable(),
  usdPriceSource: UsdPriceSourceSchema.nullable(),
  earningsUsd: Amount.nullable(),
  costUsd: Amount,
  netUsd: Amount.nullable(),
  /** From the first day of the history, one-off costs included in the cost; null once a day has no USD price. */
  cumulativeEarningsUsd: Amount.nullable(),
  cumulativeCostUsd: Amount,
  cumulativeNetUsd: Amount.nullable(),
});
export type EarningsDay = z.infer<typeof EarningsDaySchema>;

/** The operator's costs per day, in USD, by item. */
export const DailyCostsSchema = z.object({
  inferenceGpu: Amount,
  trainingGpu: Amount,
  electricity: Amount,
  other: Amount,
  total: Amount,
});
export type DailyCosts = z.infer<typeof DailyCostsSchema>;

export const BreakEvenSchema = z.discriminatedUnion('state', [
  /** Cumulative net has been at or above zero since this day of the history (1 = the first). */
  z.object({ state: z.literal('reached'), day: z.number().int().min(1) }),
  /** Not yet: at the recent net per day, this many more days. */
  z.object({ state: z.literal('ahead'), days: z.number().int().min(1) }),
  /** Recent days lose money: it never breaks even at this rate. */
  z.object({ state: z.literal('never') }),
  /** No USD price, or no history. */
  z.object({ state: z.literal('unknown') }),
]);
export type BreakEven = z.infer<typeof BreakEvenSchema>;

/** The plan's decision point: after N days of mining, does it pay? */
export const DecisionSchema = z.object({
  /** N, from Settings. */
  day: z.number().int().min(1),
  /** Days of history the verdict rests on (at most N: the first N days). */
  daysObserved: z.number().int().min(0),
  /** True once N days of history exist: the verdict is the plan's, not a "so far". */
  due: z.boolean(),
  /** Mean net per day over those days; null without a USD price or history. */
  netUsdPerDay: Amount.nullable(),
  profitable: z.boolean().nullable(),
  /** The verdict in one sentence, e.g. "After 14 days: profitable (by 3.20 USD/day)". */
  text: z.string(),
});
export type Decision = z.infer<typeof DecisionSchema>;

export const EarningsSummarySchema = z.object({
  /** Which history this is (the network of the newest reading); null before any reading. */
  network: z.object({ source: z.enum(['local', 'chain']), netuid: z.number().int().min(0) }).nullable(),
  taoPriceSource: TaoPriceSourceSchema.nullable(),
  /** The newest days, oldest first (at most the days asked for). */
  days: z.array(EarningsDaySchema),
  costs: DailyCostsSchema,
  oneOffUsd: Amount,
  /** Over the whole history, not only the days listed. */
  totals: z.object({
    days: z.number().int().min(0),
    alpha: Amount,
    tao: Amount.nullable(),
    earningsUsd: Amount.nullable(),
    costUsd: Amount,
    netUsd: Amount.nullable(),
  }),
  /** Mean net per day over the last N days, the rate the break-even is projected at. */
  recentNetUsdPerDay: Amount.nullable(),
  breakEven: BreakEvenSchema,
  decision: DecisionSchema,
});
export type EarningsSummary = z.infer<typeof EarningsSummarySchema>;

export const PriceImportSchema = z.object({
  imported: z.number().int().min(0),
  first: DateSchema.nullable(),
  last: DateSchema.nullable(),
});
export type PriceImport = z.infer<typeof PriceImportSchema>;

/** A rented GPU box: a price per hour or per month, in USD. */
export const GpuRentalSchema = z.object({
  usd: z.number().min(0, 'must be at least 0').max(1_000_000),
  per: z.enum(['hour', 'month']),
});
export type GpuRental = z.infer<typeof GpuRentalSchema>;

/** The settings' `economics` section: the operator's costs and prices. */
export const EconomicsSettingsSchema = z.object({
  /** The box that mines (the plan: an RTX 3090). */
  inferenceGpu: GpuRentalSchema,
  /** The box that trains (the plan: an RTX 4090). */
  trainingGpu: GpuRentalSchema,
  /** Electricity where the operator pays for it: price per kWh × watts drawn × hours a day. */
  electricityUsdPerKwh: z.number().min(0).max(100),
  watts: z.number().min(0).max(1_000_000),
  hoursPerDay: z.number().min(0).max(24),
  otherUsdPerMonth: z.number().min(0).max(10_000_000),
  /** Paid once (the registration burn, setup), counted on the first day. */
  oneOffUsd: z.number().min(0).max(1_000_000_000),
  /** TAO's price in USD as the operator entered it; days in an imported price list use theirs. */
  taoUsd: z.number().positive('must be above 0').max(10_000_000).nullable(),
  /** The local subnet has no pool: its α is valued at this fixed price, TAO per α. */
  rehearsalTaoPerAlpha: z.number().positive('must be above 0').max(1_000_000),
  /** The plan's decision point: after this many days of mining, does it pay? */
  decisionDay: z.number().int().min(1).max(365),
});
export type EconomicsSettings = z.infer<typeof EconomicsSettingsSchema>;

/** No costs until the operator enters them; the plan decides after 14 days. */
export const DEFAULT_ECONOMICS: EconomicsSettings = {
  inferenceGpu: { usd: 0, per: 'hour' },
  trainingGpu: { usd: 0, per: 'hour' },
  electricityUsdPerKwh: 0,
  watts: 0,
  hoursPerDay: 24,
  otherUsdPerMonth: 0,
  oneOffUsd: 0,
  taoUsd: null,
  rehearsalTaoPerAlpha: 0.01,
  decisionDay: 14,
};

/** One reading of our uid's emission, as the metagraph history keeps it (one per tempo). */
export interface EmissionReading {
  time: string;
  source: 'local' | 'chain';
  netuid: number;
  uid: number;
  /** α per tempo, as the chain reports it (rao ÷ 10⁹). */
  emissionPerTempo: number;
  tempo: number;
  /** TAO per α in the subnet's pool at the reading; null where there is none (the local subnet). */
  taoPerAlpha: number | null;
}
