/**
 * The other miners of the local subnet: simulated, each with its own skill (how often it is
 * right), and how often it fails to answer in time. Their spread stands in for the field a
 * miner competes against on the live subnet.
 */
import { blake2AsU8a, encodeAddress } from '@polkadot/util-crypto';
import { Rng } from '../scenes/rng.js';

export interface PeerMiner {
  hotkey: string;
  /** Chance of a right answer. */
  skill: number;
  /** Chance of no answer in time (-1). */
  failure: number;
}

/** `count` peers whose skills spread evenly from a coin toss to near-perfect. */
export function spreadOfPeers(count: number, seed: number, lowest = 0.5, highest = 0.98): PeerMiner[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => ({
    hotkey: encodeAddress(blake2AsU8a(`local-subnet peer ${seed} ${i}`), 42),
    skill: Math.min(
      0.995,
      Math.max(0.3, lowest + ((highest - lowest) * i) / Math.max(1, count - 1) + rng.range(-0.01, 0.01)),
    ),
    failure: rng.range(0, 0.04),
  }));
}

/** A peer's answer to an image whose label is `label`. */
export function peerAnswer(peer: PeerMiner, label: 0 | 1, rng: Rng): number {
  if (rng.chance(peer.failure)) return -1;
  const right = rng.chance(peer.skill);
  const confidence = rng.range(0.6, 0.99);
  return (label === 1) === right ? confidence : 1 - confidence;
}
