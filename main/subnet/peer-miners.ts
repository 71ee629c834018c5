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
  /**
   * False for a registered uid that serves nothing (no axon, or one that never answers): every
   * query to it ends in -1, as a timeout does on the live subnet.
   */
  serving: boolean;
  /** Chance of a right answer (meaningless when not serving). */
  skill: number;
  /** Median time to answer; each answer varies around it (log-normal). */
  latencyMs: number;
}

export interface SkillRange {
  lowest: number;
  highest: number;
}

/** A subnet has at most 256 uids: one peer per live miner uid always fits. */
export const MAX_FITTED_PEERS = 256;

/**
 * The skill given to the live subnet's best miner, the anchor of the fit: SN72's best miners are
 * near-perfect on the validators' images, and a perfect peer would leave no room above it.
 */
export const TOP_PEER_SKILL = 0.98;

const peerHotkey = (seed: number, i: number): string =>
  encodeAddress(blake2AsU8a(`local-subnet peer ${seed} ${i}`), 42);

/** Most peers answer in a fraction of a second; a few are slow enough to miss the deadline at times. */
function latencyFor(rng: Rng): number {
  return rng.chance(0.15) ? rng.range(4000, 9000) : rng.range(80, 1500);
}

/**
 * A fitted peer's speed: all well within the 9 s deadline (the slowest median 4 s misses it about
 * 1 % of the time), since a live miner's lost timeouts are already in its incentive and so in the
 * skill fitted to it.
 */
function fittedLatencyFor(rng: Rng): number {
  return rng.chance(0.1) ? rng.range(1500, 4000) : rng.range(80, 1500);
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
    serving: true,
    skill: clampSkill(
      range.lowest + ((range.highest - range.lowest) * i) / Math.max(1, count - 1) + rng.range(-0.01, 0.01),
    ),
    latencyMs: latencyFor(rng),
  }));
}

/**
 * The reward a validator gives, on average, a miner right with probability `skill` on balanced
 * labels. Its answers then make TP = TN = s/2 and FP = FN = (1 − s)/2 of the total, so
 * MCC = (TP·TN − FP·FN)/√((TP+FP)(TP+FN)(TN+FP)(TN+FN)) = ((s² − (1 − s)²)/4)/(1/4) = 2s − 1, and
 * accuracy = s; the reward (0.5·max(0, MCC) + 0.5·accuracy)³ is then
 * (1.5s − 0.5)³ for s ≥ 0.5 and (0.5s)³ below (MCC clipped at 0). Both give 0.25³ at s = 0.5.
 */
export function expectedPeerReward(skill: number): number {
  return (0.5 * Math.max(0, 2 * skill - 1) + 0.5 * skill) ** 3;
}

/** The inverse of `expectedPeerReward`: the skill that earns `reward` on average. */
export function skillEarning(reward: number): number {
  const root = Math.cbrt(Math.max(0, reward));
  return root >= 0.25 ? (root + 0.5) / 1.5 : 2 * root;
}

/**
 * Peers that earn like the live subnet's miners, one per live miner uid (in uid order, up to
 * `limit`). A validator's score for a miner is an EMA of its rewards, so it tends to the expected
 * reward; its weights are the scores normalised, and with validators agreeing, consensus barely
 * clips them, so a miner's incentive is proportional to its expected reward:
 *   incentive_i / incentive_top = expectedPeerReward(s_i) / expectedPeerReward(s_top).
 * Anchoring the best live miner at `TOP_PEER_SKILL` (0.98: reward 0.97³ ≈ 0.913) gives each
 * serving peer s_i = skillEarning(0.913 · incentive_i / incentive_top); e.g. a miner with 40 % of
 * the top incentive needs reward 0.365, so 1.5s − 0.5 = 0.715 and s ≈ 0.81. A uid with zero
 * incentive earns nothing because it answers nothing: it is a non-serving peer, not a bad one.
 */
export function peersFittedTo(incentives: readonly number[], seed: number, limit = MAX_FITTED_PEERS): PeerMiner[] {
  const live = incentives.slice(0, limit).map((x) => (Number.isFinite(x) && x > 0 ? x : 0));
  const top = Math.max(0, ...live);
  const topReward = expectedPeerReward(TOP_PEER_SKILL);
  const rng = new Rng(seed);
  return live.map((incentive, i) => ({
    hotkey: peerHotkey(seed, i),
    serving: incentive > 0,
    skill: incentive > 0 ? skillEarning((topReward * incentive) / top) : 0,
    latencyMs: fittedLatencyFor(rng),
  }));
}

/**
 * A peer's answer to an image whose label is `label`: -1 when it comes after `timeoutMs`, and
 * always -1 from a peer that does not serve (no answer to draw, so no coin is flipped for it).
 */
export function peerAnswer(peer: PeerMiner, label: 0 | 1, rng: Rng, timeoutMs: number): number {
  if (!peer.serving) return -1;
  const took = peer.latencyMs * Math.exp(0.35 * rng.normal());
  if (took > timeoutMs) return -1;
  const right = rng.chance(peer.skill);
  const confidence = rng.range(0.6, 0.99);
  return (label === 1) === right ? confidence : 1 - confidence;
}

function clampSkill(skill: number): number {
  return Math.min(0.995, Math.max(0.3, skill));
}
