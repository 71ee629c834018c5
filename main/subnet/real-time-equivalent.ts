/**
 * What a rehearsal amounts to on mainnet. A rehearsal counts answers; on mainnet each validator
 * reaches a given miner once per pass of its deck, every (serving miners / 10) forwards of about
 * 70 s, so N answers per validator take N × (miners / 10) × 70 s there: with 250 miners, 100
 * answers are about 2 days. It also says what the answers were judged on: a run without real
 * photos judged on generated scenes only, which mainnet's validators send half the time at most.
 */
import {
  decayFraction,
  FORWARD_SECONDS,
  hoursForQueries,
  hoursToReach,
  queriesPerHour,
  rampFraction,
  SAMPLE_SIZE,
} from './score-ramp.js';

/** Serving miners on SN72 when the live subnet was never read: about all of its 256 uids but the validators'. */
export const ASSUMED_MAINNET_MINERS = 250;

export const NOT_COMPARABLE_WITH_MAINNET = 'judged on generated scenes only: not comparable with mainnet';

export interface RealTimeEquivalent {
  /** Answers (queries, timeouts included) one validator had of our miner, on average. */
  answersPerValidator: number;
  hours: number;
  days: number;
  /** How far a new miner's score would have ramped in that time, under the validators' EMA (0.05). */
  scoreRamp: number;
  /** A new miner's climb on mainnet: hours until its score reaches this share of its steady value. */
  newMinerHoursTo: { '64%': number; '90%': number };
  /** The share of its score a miner keeps after this many hours down (every missed query scores 0). */
  scoreKeptAfterDowntime: { '1h': number; '6h': number; '24h': number };
  assumptions: {
    mainnetMiners: number;
    /** `live`: counted from the live subnet's incentives; `assumed`: none were read. */
    minersFrom: 'live' | 'assumed';
    forwardSeconds: number;
    sampleSize: number;
  };
  /** One sentence: "these 100 answers per validator are about 2 days on mainnet (…)". */
  summary: string;
}

export interface ImageSources {
  photo: number;
  generated: number;
  comparableWithMainnet: boolean;
  /** Why not, when not. */
  note: string | null;
}

/** Serving miners on the live subnet from its miners' incentives (a uid earning nothing serves nothing). */
export function servingMinersOf(incentives: readonly number[] | null | undefined): number | null {
  const serving = incentives?.filter((x) => Number.isFinite(x) && x > 0).length ?? 0;
  return serving > 0 ? serving : null;
}

export function realTimeEquivalent(answersPerValidator: number, liveMiners: number | null): RealTimeEquivalent {
  const mainnetMiners = liveMiners ?? ASSUMED_MAINNET_MINERS;
  const perHour = queriesPerHour(mainnetMiners);
  const hours = hoursForQueries(answersPerValidator, perHour);
  const answers = Number.isInteger(answersPerValidator) ? `${answersPerValidator}` : answersPerValidator.toFixed(1);
  return {
    answersPerValidator,
    hours,
    days: hours / 24,
    scoreRamp: rampFraction(hours, perHour),
    newMinerHoursTo: { '64%': hoursToReach(0.64, perHour), '90%': hoursToReach(0.9, perHour) },
    scoreKeptAfterDowntime: {
      '1h': decayFraction(1, perHour),
      '6h': decayFraction(6, perHour),
      '24h': decayFraction(24, perHour),
    },
    assumptions: {
      mainnetMiners,
      minersFrom: liveMiners === null ? 'assumed' : 'live',
      forwardSeconds: FORWARD_SECONDS,
      sampleSize: SAMPLE_SIZE,
    },
    summary:
      `these ${answers} answers per validator are about ${duration(hours)} on mainnet ` +
      `(${mainnetMiners} serving miners${liveMiners === null ? ' assumed' : ''}, ${SAMPLE_SIZE} per forward, ` +
      `a forward every ${FORWARD_SECONDS} s)`,
  };
}

export function imageSources(origins: { photo: number; generated: number }): ImageSources {
  const comparableWithMainnet = origins.photo > 0;
  return { ...origins, comparableWithMainnet, note: comparableWithMainnet ? null : NOT_COMPARABLE_WITH_MAINNET };
}

/** "29 min", "10 h", "2 days". */
function duration(hours: number): string {
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 36) return `${Number(hours.toFixed(hours < 10 ? 1 : 0))} h`;
  const days = Number((hours / 24).toFixed(1));
  return `${days} day${days === 1 ? '' : 's'}`;
}
