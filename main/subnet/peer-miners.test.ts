import { describe, expect, it } from 'vitest';
import { Rng } from '../scenes/rng.js';
import { peerAnswer, peersFittedTo, spreadOfPeers } from './peer-miners.js';

describe('the simulated peers', () => {
  it('spread evenly over the skill range asked for, each with its own hotkey', () => {
    const peers = spreadOfPeers(11, 3, { lowest: 0.6, highest: 0.9 });
    expect(peers[0]!.skill).toBeCloseTo(0.6, 1);
    expect(peers[10]!.skill).toBeCloseTo(0.9, 1);
    expect(new Set(peers.map((p) => p.hotkey)).size).toBe(11);
  });

  it('fit the live incentives: the best live miner becomes the most skilled peer, zero a coin toss', () => {
    const peers = peersFittedTo([0, 0.02, 0.3, 0.05, 0.3], 1);
    expect(peers).toHaveLength(5);
    expect(peers[0]!.skill).toBeCloseTo(0.99, 2);
    expect(peers[4]!.skill).toBeCloseTo(0.5, 2);
    expect(peers.map((p) => p.skill)).toEqual([...peers.map((p) => p.skill)].sort((a, b) => b - a));
  });

  it('answer as often right as their skill, and not at all past the timeout', () => {
    const rng = new Rng(5);
    const peer = { hotkey: 'p', skill: 0.8, latencyMs: 200 };
    let right = 0;
    for (let i = 0; i < 4000; i++) if (peerAnswer(peer, 1, rng, 9000) > 0.5) right++;
    expect(right / 4000).toBeCloseTo(0.8, 1);
    const slow = { hotkey: 's', skill: 1, latencyMs: 20_000 };
    expect(peerAnswer(slow, 1, rng, 9000)).toBe(-1);
  });
});
