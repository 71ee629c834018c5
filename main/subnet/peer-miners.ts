/**
 * The other miners of the local subnet: simulated, each with its own skill (how often it is
 * right) and speed (its median answer time; an answer later than the validator's timeout is no
 * answer). Their spread stands in for the field a miner competes against on the live subnet:
 * an even spread by default, or one fitted to the live subnet's incentives once they were read.
 */
import { blake2AsU8a, encodeAddress } from '@polkadot/util-crypto';
import { Rng } from '../scenes/rng.js';

export interface PeerMiner {
  hotkey: string;
  /** Chance of a right answer. */
  skill: number;
  /** Median time to answer; each answer varies around it (log-normal). */
  latencyMs: number;
}

export interface SkillRange {
  lowest: number;
  highest: number;
}

const peerHotkey = (seed: number, i: number): string =>
  encodeAddress(blake2AsU8a(`local-subnet peer ${seed} ${i}`), 42);

/** Most peers answer in a fraction of a second; a few are slow enough to miss the deadline at times. */
function latencyFor(rng: Rng): number {
  return rng.chance(0.15) ? rng.range(4000, 9000) : rng.range(80, 1500);
}

/** `count` peers whose skills spread evenly over `range` (by default a coin toss to near-perfect). */
export function spreadOfPeers(
  count: number,
  seed: number,
  range: SkillRange = { lowest: 0.5, highest: 0.98 },
): PeerMiner[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => ({
    hotkey: peerHotkey(seed, i),
    skill: clampSkill(
      range.lowest + ((range.highest - range.lowest) * i) / Math.max(1, count - 1) + rng.range(-0.01, 0.01),
    ),
    latencyMs: latencyFor(rng),
  }));
}

/**
 * Peers that earn like the live subnet's miners: a miner's reward is roughly its accuracy term
 * cubed, so a share of the top incentive maps back to skill through a cube root. One peer per
 * live miner (up to `limit`).
 */
export function peersFittedTo(incentives: readonly number[], seed: number, limit = 250): PeerMiner[] {
  const sorted = [...incentives]
    .filter((x) => Number.isFinite(x) && x >= 0)
    .sort((a, b) => b - a)
    .slice(0, limit);
  const top = sorted[0] ?? 0;
  const rng = new Rng(seed);
  return sorted.map((incentive, i) => ({
    hotkey: peerHotkey(seed, i),
    skill: clampSkill(top > 0 ? 0.5 + 0.49 * Math.cbrt(incentive / top) : 0.5),
    latencyMs: latencyFor(rng),
  }));
}

/** A peer's answer to an image whose label is `label`: -1 when it comes after `timeoutMs`. */
export function peerAnswer(peer: PeerMiner, label: 0 | 1, rng: Rng, timeoutMs: number): number {
  const took = peer.latencyMs * Math.exp(0.35 * rng.normal());
  if (took > timeoutMs) return -1;
  const right = rng.chance(peer.skill);
  const confidence = rng.range(0.6, 0.99);
  return (label === 1) === right ? confidence : 1 - confidence;
}

function clampSkill(skill: number): number {
  return Math.min(0.995, Math.max(0.3, skill));
}
