import { describe, expect, it } from 'vitest';
import { Rng } from '../scenes/rng.js';
import { MinerRecord } from './miner-record.js';
import {
  expectedPeerReward,
  peerAnswer,
  peersFittedTo,
  skillEarning,
  spreadOfPeers,
  type PeerMiner,
} from './peer-miners.js';
import { yumaConsensus } from './yuma.js';

/**
 * A made-up live subnet of 250 miner uids: 220 serving, whose incentives fall off smoothly from
 * the best (relative share ((220 − i)/220)^1.2, so the mean is about 1/2.2 of the top and the top
 * share about 1/(220/2.2) ≈ 1 %, as on SN72), and 30 registered uids earning nothing.
 */
function liveSubnet(): number[] {
  const raw = [...Array.from({ length: 220 }, (_, i) => ((220 - i) / 220) ** 1.2), ...new Array<number>(30).fill(0)];
  const total = raw.reduce((sum, x) => sum + x, 0);
  return raw.map((x) => x / total);
}

/**
 * The local subnet's scoring without HTTP: validators send each peer every challenge (balanced
 * labels), keep a tracker per peer, move their scores by the 0.05 EMA, normalise them into
 * weights, and Yuma turns the weights into incentive.
 */
function simulatedIncentives(peers: PeerMiner[], rounds: number): number[] {
  const stakes = [400_000, 250_000, 150_000];
  const validators = stakes.map((_, v) => ({
    rng: new Rng(11 + v),
    records: peers.map(() => new MinerRecord()),
    scores: peers.map(() => 0),
  }));
  for (let round = 0; round < rounds; round++) {
    for (const validator of validators) {
      const label = validator.rng.chance(0.5) ? 1 : 0;
      peers.forEach((peer, i) => {
        const reward = validator.records[i]!.reward(peerAnswer(peer, label, validator.rng, 9000), label);
        validator.scores[i] = 0.05 * reward + 0.95 * validator.scores[i]!;
      });
    }
  }
  const weights = validators.map(({ scores }) => {
    const total = scores.reduce((sum, x) => sum + x, 0);
    return scores.map((x) => x / total);
  });
  return yumaConsensus(weights, stakes).incentive;
}

describe('the simulated peers', () => {
  it('spread evenly over the skill range asked for, each with its own hotkey, all serving', () => {
    const peers = spreadOfPeers(11, 3, { lowest: 0.6, highest: 0.9 });
    expect(peers[0]!.skill).toBeCloseTo(0.6, 1);
    expect(peers[10]!.skill).toBeCloseTo(0.9, 1);
    expect(new Set(peers.map((p) => p.hotkey)).size).toBe(11);
    expect(peers.every((p) => p.serving)).toBe(true);
  });

  it('invert the expected reward: (1.5s − 0.5)³ above a coin toss, (0.5s)³ below it', () => {
    // s = 0.98: MCC 0.96, accuracy 0.98 → (0.48 + 0.49)³ = 0.97³ = 0.912673.
    expect(expectedPeerReward(0.98)).toBeCloseTo(0.912673, 6);
    // s = 0.5: MCC 0 → (0.25)³ = 0.015625; s = 0.4: MCC clipped to 0 → (0.2)³ = 0.008.
    expect(expectedPeerReward(0.5)).toBeCloseTo(0.015625, 9);
    expect(expectedPeerReward(0.4)).toBeCloseTo(0.008, 9);
    expect(skillEarning(0.912673)).toBeCloseTo(0.98, 6);
    expect(skillEarning(0.008)).toBeCloseTo(0.4, 9);
  });

  it('fit the live incentives one peer per uid: the best live miner at 0.98, zero incentive not serving', () => {
    const peers = peersFittedTo([0, 0.02, 0.3, 0.05, 0.3], 1);
    expect(peers).toHaveLength(5);
    expect(peers.map((p) => p.serving)).toEqual([false, true, true, true, true]);
    expect(peers[2]!.skill).toBeCloseTo(0.98, 9);
    expect(peers[4]!.skill).toBeCloseTo(0.98, 9);
    // uid 3 earns 1/6 of the top: 1.5s − 0.5 = 0.97/∛6 = 0.97/1.817121 = 0.533812 → s = 1.033812/1.5.
    expect(peers[3]!.skill).toBeCloseTo(0.689208, 5);
    // Most fitted peers answer well within the 9 s deadline.
    expect(peers.every((p) => p.latencyMs <= 4000)).toBe(true);
  });

  it('give a field as wide as the live one whose top share matches it, and nothing to uids that do not serve', () => {
    const live = liveSubnet();
    const liveTop = Math.max(...live);
    expect(liveTop).toBeCloseTo(0.01, 3);
    const peers = peersFittedTo(live, 7);
    expect(peers).toHaveLength(250);
    // 120 challenges per validator: the EMA has forgotten its zero start (0.95^120 ≈ 0.2 %) and
    // the MCC window is full.
    const incentive = simulatedIncentives(peers, 120);
    const top = Math.max(...incentive);
    // Tolerance ±15 %: the fit ignores that the cube rewards a varying 10-answer accuracy a little
    // more than its mean, and the top of 220 noisy scores sits a little above its expectation.
    expect(top / liveTop).toBeGreaterThan(0.85);
    expect(top / liveTop).toBeLessThan(1.15);
    // The middle of the field matches too, not only the top.
    const median = (xs: number[]): number => [...xs].sort((a, b) => b - a)[110]!;
    expect(median(incentive) / median(live)).toBeGreaterThan(0.85);
    expect(median(incentive) / median(live)).toBeLessThan(1.15);
    peers.forEach((peer, uid) => {
      if (!peer.serving) expect(incentive[uid]).toBe(0);
    });
    expect(peers.filter((p) => !p.serving)).toHaveLength(30);
  }, 30_000);

  it('answer as often right as their skill, not at all past the timeout, and never when not serving', () => {
    const rng = new Rng(5);
    const peer = { hotkey: 'p', serving: true, skill: 0.8, latencyMs: 200 };
    let right = 0;
    for (let i = 0; i < 4000; i++) if (peerAnswer(peer, 1, rng, 9000) > 0.5) right++;
    expect(right / 4000).toBeCloseTo(0.8, 1);
    const slow = { hotkey: 's', serving: true, skill: 1, latencyMs: 20_000 };
    expect(peerAnswer(slow, 1, rng, 9000)).toBe(-1);
    const absent = { hotkey: 'a', serving: false, skill: 1, latencyMs: 10 };
    for (let i = 0; i < 100; i++) expect(peerAnswer(absent, i % 2 === 0 ? 0 : 1, rng, 9000)).toBe(-1);
  });
});
