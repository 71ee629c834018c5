/**
 * How fast a validator's score for a miner moves, in hours of mainnet time.
 *
 * Each validator keeps one score per miner and, every time it queries that miner, moves it by
 * s ← α·r + (1 − α)·s with α = 0.05 (natix `BaseValidatorNeuron.update_scores`, the default
 * `--neuron.moving_average_alpha`); a miner it does not query keeps its score. So:
 *
 * - Ramp: a new miner starts at 0; after k queries at a steady reward r its score is
 *   r·(1 − 0.95^k), a fraction 1 − 0.95^k of where it settles. 20 queries give 64 %.
 * - Decay: a miner that is down still gets queried (its uid stays in the deck) and every timeout
 *   earns 0, so each missed query multiplies its score by 0.95.
 *
 * Queries become hours through the cadence (natix `_run_main_loop` and `UIDDeck.next_k`): a
 * validator runs one forward about every 70 s (60 s sleep plus the forward) and asks 10 miners
 * drawn from a shuffled deck of all serving miners, so it reaches a given one of N miners every
 * N/10 forwards: 250 miners → 25 × 70 s ≈ 29 min, about 2 queries an hour. 20 queries are then
 * about 10 h, and 100 answers (the tracker's whole MCC window) about 2 days.
 *
 * Hours are turned into queries without rounding (k = hours × queries per hour): the deck makes
 * the queries regular but where a miner sits in it is unknown, so this is the expected ramp.
 * Pure functions; the rehearsal report uses them to state its runs in real-time equivalents.
 */

/** The validators' moving-average weight per query. */
export const SCORE_ALPHA = 0.05;
/** One forward of a validator's main loop on mainnet, in seconds (60 s sleep + the forward). */
export const FORWARD_SECONDS = 70;
/** Miners asked per forward (`--neuron.sample_size`). */
export const SAMPLE_SIZE = 10;

/**
 * How many times an hour one validator queries a given miner on a subnet of `miners` serving
 * miners: 3600/forwardSeconds forwards an hour, each reaching sampleSize/miners of the deck.
 */
export function queriesPerHour(miners: number, forwardSeconds = FORWARD_SECONDS, sampleSize = SAMPLE_SIZE): number {
  return (3600 / forwardSeconds) * Math.min(1, sampleSize / Math.max(1, miners));
}

/** The mainnet hours in which one validator sends a miner this many queries. */
export function hoursForQueries(queries: number, perHour: number): number {
  return queries / perHour;
}

/**
 * The fraction of its steady score a new miner (score 0) has after `hours` of a steady reward:
 * 1 − (1 − α)^k with k = hours × perHour queries.
 */
export function rampFraction(hours: number, perHour: number, alpha = SCORE_ALPHA): number {
  return 1 - (1 - alpha) ** (hours * perHour);
}

/** The hours a new miner needs to reach `fraction` (below 1) of its steady score. */
export function hoursToReach(fraction: number, perHour: number, alpha = SCORE_ALPHA): number {
  return Math.log(1 - fraction) / Math.log(1 - alpha) / perHour;
}

/** The fraction of its score a miner keeps after `hours` down: ×(1 − α) per missed query. */
export function decayFraction(hours: number, perHour: number, alpha = SCORE_ALPHA): number {
  return (1 - alpha) ** (hours * perHour);
}

/** One validator's score after these rewards, in the order it gave them, from `start`. */
export function scoreAfter(rewards: readonly number[], start = 0, alpha = SCORE_ALPHA): number {
  return rewards.reduce((score, reward) => alpha * reward + (1 - alpha) * score, start);
}
