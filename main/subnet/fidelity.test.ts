/**
 * The rehearsal against the subnet's own behaviour, by numbers worked out by hand from natix
 * validator 2.0.4 (miner_performance_tracker.py, reward.py, forward.py, image_transforms.py) and
 * subtensor's run_epoch.rs. Each block says which file's behaviour it pins and how the numbers
 * were derived; none is produced by the code under test.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/temp-dir.js';
import { gaussianNoise } from '../scenes/degradations.js';
import { distort } from '../scenes/distort.js';
import { blankPixels, rotateNearest, type Pixels } from '../scenes/pixels.js';
import { Rng } from '../scenes/rng.js';
import { roundHalfEven } from '../scoring/metrics.js';
import { drawChallenge, folderChallenges, sceneChallenges } from './challenge-source.js';
import { PACES, tempoDue } from './local-subnet.js';
import { MinerRecord, NO_ANSWER, windowMetrics } from './miner-record.js';
import { peerAnswer, peersFittedTo } from './peer-miners.js';
import { realTimeEquivalent } from './real-time-equivalent.js';
import {
  decayFraction,
  hoursForQueries,
  hoursToReach,
  queriesPerHour,
  rampFraction,
  scoreAfter,
} from './score-ramp.js';
import { UidDeck } from './uid-deck.js';
import { KAPPA, yumaConsensus } from './yuma.js';

describe('the tracker and reward (miner_performance_tracker.py, reward.py)', () => {
  // Labels alternate 0, 1, 0, 1, …: query t (from 1) has label (t − 1) mod 2. A right answer is
  // 0.1 on a 0 and 0.9 on a 1; a wrong one 0.2 on a 1.
  const labelOf = (t: number): 0 | 1 => ((t - 1) % 2) as 0 | 1;
  const right = (t: number): number => (labelOf(t) === 1 ? 0.9 : 0.1);

  it('stores timeouts as -1, so they shrink the accuracy window: 20 right, 9 timeouts, 1 wrong → 0.0939', () => {
    expect(NO_ANSWER).toBe(-1);
    const record = new MinerRecord();
    const rewards: number[] = [];
    for (let t = 1; t <= 20; t++) rewards.push(record.reward(right(t), labelOf(t)));
    for (let t = 21; t <= 29; t++) rewards.push(record.reward(NO_ANSWER, labelOf(t)));
    rewards.push(record.reward(0.2, labelOf(30))); // label of query 30 is 1: a miss
    // q1: one label class seen → MCC 0; accuracy 1/1 → (0.5·0 + 0.5·1)³ = 0.125.
    expect(rewards[0]).toBeCloseTo(0.125, 12);
    // q2–q20: both classes, all right → MCC 1, accuracy 1 → 1. q21–q29: timeouts → 0.
    for (let t = 2; t <= 20; t++) expect(rewards[t - 1]).toBeCloseTo(1, 12);
    for (let t = 21; t <= 29; t++) expect(rewards[t - 1]).toBe(0);
    // q30, 100-window = all 30 slots, the nine -1 dropped → 21 pairs: TP 10, TN 10, FP 0, FN 1:
    //   MCC = (10·10 − 0·1)/√((10+0)(10+1)(10+0)(10+1)) = 100/110 = 0.909091.
    // 10-window = slots 21–30: nine -1 dropped, the miss left → accuracy 0/1 = 0.
    // reward = (0.5·100/110 + 0.5·0)³ = (5/11)³ = 125/1331 = 0.0939144.
    // (The old record forgot the timeouts: its last 10 were 9 right + the miss, 0.9 → 0.740.)
    expect(rewards[29]).toBeCloseTo(125 / 1331, 12);
    expect(record.summary).toMatchObject({ answers: 30, timeouts: 9 });
    // This validator's EMA after those 30 rewards, from 0 (s ← 0.05·r + 0.95·s):
    //   s = Σ 0.05·0.95^(30−t)·r_t = 0.05·0.125·0.95^29 + (0.95^10 − 0.95^29) + 0.05·(125/1331)
    //   (the 1.0s of q2–q20 sum geometrically: 0.05·Σ_{j=10}^{28} 0.95^j = 0.95^10 − 0.95^29)
    //   with 0.95^10 = 0.5987369, 0.95^29 = 0.2259355 → 0.0014121 + 0.3728014 + 0.0046957 = 0.378909.
    expect(scoreAfter(rewards)).toBeCloseTo(0.378909, 5);
  });

  it('29 right then 1 wrong, no timeouts → 0.7729', () => {
    const record = new MinerRecord();
    for (let t = 1; t <= 29; t++) record.reward(right(t), labelOf(t));
    const last = record.reward(0.2, labelOf(30));
    // 30 pairs, 15 of each label; the miss is a 1 answered 0: TP 14, TN 15, FP 0, FN 1:
    //   MCC = (14·15)/√(14·15·15·16) = 210/√50400 = 0.935414.
    // Last 10: 9 right, 1 wrong → 0.9. reward = (0.467707 + 0.45)³ = 0.917707³ = 0.772881.
    expect(last).toBeCloseTo(0.772881, 5);
  });

  it('gives the first answer ever, right, 0.125: one class, MCC 0', () => {
    // Labels hold one value → MCC counts 0; accuracy 1/1 → (0.5·0 + 0.5·1)³ = 1/8.
    expect(new MinerRecord().reward(0.9, 1)).toBe(0.125);
  });

  it('rounds as numpy does, half to even', () => {
    // np.round: 0.5 → 0, 1.5 → 2, 2.5 → 2, -0.4 → -0 (= 0), -0.6 → -1, 1.7 → 2, 0.51 → 1.
    expect([0.5, 1.5, 2.5, -0.4, -0.6, 1.7, 0.51].map(roundHalfEven)).toEqual([0, 2, 2, 0, -1, 2, 1]);
  });

  it('scores 0.5 as "no roadwork"', () => {
    const record = new MinerRecord();
    record.reward(0.9, 1); // right
    record.reward(0.1, 0); // right
    // 0.5 on a roadwork image rounds to 0: a miss. TP 1, TN 1, FP 0, FN 1:
    //   MCC = (1·1 − 0)/√((1)(2)(1)(2)) = 1/2; accuracy 2/3 → (0.25 + 1/3)³ = (7/12)³ = 0.198495.
    expect(record.reward(0.5, 1)).toBeCloseTo((7 / 12) ** 3, 12);
  });

  it('gives 1.7 zero now and counts it later as class 2, wrong', () => {
    const record = new MinerRecord();
    record.reward(0.9, 1);
    record.reward(0.1, 0);
    expect(record.reward(1.7, 1)).toBe(0); // out of [0, 1]: penalty 0
    // Next, 0.1 on a 0. Rounded predictions [1, 0, 2, 0], labels [1, 0, 1, 0]: accuracy 3/4.
    // Multiclass MCC (s = 4 samples, c = 3 right, t = {0: 2, 1: 2}, p = {0: 2, 1: 1, 2: 1}):
    //   (c·s − Σ t_k·p_k)/√((s² − Σ p_k²)(s² − Σ t_k²)) = (12 − (2·2 + 2·1))/√((16 − 6)(16 − 8))
    //   = 6/√80 = 0.670820. reward = (0.335410 + 0.375)³ = 0.710410³ = 0.358532.
    // (Clipped to 1, or forgotten, it would have been 1.)
    expect(record.reward(0.1, 0)).toBeCloseTo(0.358532, 5);
  });

  it('keeps -0.6 as a third class (-1 after rounding) rather than dropping it', () => {
    // Only the raw -1 is dropped. Rounded [1, 0, -1] against [1, 0, 0]: 3 answers, accuracy 2/3;
    // s = 3, c = 2, t = {1: 1, 0: 2}, p = {1: 1, 0: 1, -1: 1}: (6 − (1 + 2))/√((9 − 3)(9 − 5)) = 3/√24.
    const metrics = windowMetrics([0.9, 0.1, -0.6], [1, 0, 0]);
    expect(metrics.answers).toBe(3);
    expect(metrics.accuracy).toBeCloseTo(2 / 3, 12);
    expect(metrics.mcc).toBeCloseTo(3 / Math.sqrt(24), 12);
  });

  it('treats an explicit -1 exactly as a timeout: reward 0, a slot taken, nothing counted', () => {
    const record = new MinerRecord();
    for (let t = 1; t <= 10; t++) record.reward(right(t), labelOf(t));
    expect(record.reward(-1, labelOf(11))).toBe(0);
    // q12 (label 1) answered 0.2, a miss. 100-window: 11 answers (the -1 dropped): TP 5, TN 5,
    // FP 0, FN 1 → MCC = 25/√(5·6·5·6) = 25/30. 10-window = slots 3–12: 8 right, the -1 dropped,
    // the miss → 8/9. reward = (5/12 + 4/9)³ = (31/36)³ = 29791/46656 = 0.638524.
    // (Had the -1 not been stored, the window would reach back to slot 2: 9/10 → 0.6510.)
    expect(record.reward(0.2, labelOf(12))).toBeCloseTo(29791 / 46656, 12);
    expect(record.summary).toMatchObject({ answers: 12, timeouts: 1 });
  });

  it('empties a window that holds a NaN (sklearn refuses it) until the NaN leaves it', () => {
    const record = new MinerRecord();
    record.reward(0.9, 1);
    // NaN passes the range check (both comparisons are false) but its windows are empty → 0.
    expect(record.reward(Number.NaN, 0)).toBe(0);
    for (let t = 3; t <= 11; t++) expect(record.reward(right(t), labelOf(t))).toBe(0);
    // q12: the 10-window (slots 3–12) is clean and all right → accuracy 1; the 100-window still
    // holds the NaN → MCC 0. reward = (0 + 0.5)³ = 0.125, the ceiling until 100 more answers.
    expect(record.reward(right(12), labelOf(12))).toBe(0.125);
  });
});

describe('the score EMA and the cadence (validator.py update_scores, forward cadence)', () => {
  it('reaches a given miner about every 29 minutes on a 250-miner subnet', () => {
    // 3600/70 forwards an hour, each reaching 10 of the 250 in the deck: 51.43 × 0.04 = 2.0571/h,
    // one query every 60/2.0571 = 29.17 min; 100 answers (the MCC window) = 100/2.0571 = 48.6 h.
    const perHour = queriesPerHour(250);
    expect(perHour).toBeCloseTo(36 / 17.5, 12);
    expect(60 / perHour).toBeCloseTo(29.17, 2);
    expect(hoursForQueries(100, perHour)).toBeCloseTo(48.61, 2);
    // Fewer miners than a forward asks: every forward reaches each one, 3600/70 = 51.43/h.
    expect(queriesPerHour(5)).toBeCloseTo(3600 / 70, 12);
  });

  it('ramps a new miner to 64 % of its steady score in about 10 h', () => {
    // Every 30 min (2/h): 10 h = 20 queries. 1 − 0.95^20, with 0.95² = 0.9025, 0.95⁴ = 0.81450625,
    // 0.95⁸ = 0.66342043, 0.95¹⁶ = 0.44012667, 0.95²⁰ = 0.95¹⁶·0.95⁴ = 0.35848592 → 0.641514.
    expect(rampFraction(10, 2)).toBeCloseTo(0.641514, 6);
    // The same by the EMA itself: twenty rewards of 1 from a score of 0.
    expect(scoreAfter(new Array<number>(20).fill(1))).toBeCloseTo(0.641514, 6);
    // 64 % takes ln(0.36)/ln(0.95) = −1.021651/−0.051293 = 19.918 queries = 9.96 h.
    expect(hoursToReach(0.64, 2)).toBeCloseTo(9.96, 2);
  });

  it('decays a miner that is down by 0.95 per missed query: 6 h down keeps 54 %', () => {
    // 6 h at 2 queries an hour = 12 timeouts, reward 0 each: 0.95¹² = 0.95⁸·0.95⁴
    //   = 0.66342043 × 0.81450625 = 0.540360.
    expect(decayFraction(6, 2)).toBeCloseTo(0.54036, 5);
    expect(scoreAfter(new Array<number>(12).fill(0), 1)).toBeCloseTo(0.54036, 5);
  });
});

describe("kappa and the fitted field (run_epoch.rs's consensus; peers fitted to live incentives)", () => {
  it("takes subtensor's InitialKappa, 32767 of 65535, and lets a chain kappa move the consensus", () => {
    // 32767/65535 = 0.49999237 (the chain stores u16 and the epoch divides by 65535).
    expect(KAPPA).toBeCloseTo(0.49999237, 8);
    // Stakes 50/30/20 give miner 0 the weights 0.6/0.4/0.2. From the top: 0.6 covers 50 % ≥ κ → 0.6;
    // with κ = 0.6 (u16 39321) 50 % falls short, 0.4 covers 80 % → 0.4.
    const weights = [[0.6], [0.4], [0.2]];
    expect(yumaConsensus(weights, [50, 30, 20]).consensus[0]).toBeCloseTo(0.6, 12);
    expect(yumaConsensus(weights, [50, 30, 20], 39_321 / 65_535).consensus[0]).toBeCloseTo(0.4, 12);
  });

  it('fits a live miner to the skill whose expected reward matches its share of the top incentive', () => {
    // The top miner is anchored at s = 0.98: reward (1.5·0.98 − 0.5)³ = 0.97³. A miner with 40 % of
    // the top incentive needs (1.5s − 0.5)³ = 0.4·0.97³, so 1.5s − 0.5 = 0.97·∛0.4 = 0.97·0.736806
    // = 0.714702 and s = 1.214702/1.5 = 0.809801.
    const [top, fortyPercent, absent] = peersFittedTo([0.01, 0.004, 0], 1);
    expect(top!.skill).toBeCloseTo(0.98, 9);
    expect(fortyPercent!.skill).toBeCloseTo(0.809801, 6);
    // A uid with zero incentive serves nothing: every query to it is a -1, as a timeout is.
    expect(absent!.serving).toBe(false);
    const rng = new Rng(3);
    for (let i = 0; i < 20; i++) expect(peerAnswer(absent!, i % 2 === 0 ? 0 : 1, rng, 9000)).toBe(-1);
  });
});

describe('the cadence (forward.py, uids.py)', () => {
  // natix: each forward asks the next 10 uids of a shuffled deck of the serving miners, rebuilt
  // and reshuffled when it runs out; a forward every 60 s sleep + the forward itself ≈ 70 s.
  const uids = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

  it('deals each of 250 serving miners exactly once per 25 forwards: a given miner every ≈ 29 min', () => {
    // 250 miners / 10 per forward = 25 forwards per pass of the deck, each uid dealt once per pass.
    const deck = new UidDeck(() => uids(250), new Rng(72));
    for (let pass = 0; pass < 3; pass++) {
      const dealt = Array.from({ length: 25 }, () => deck.next(10)).flat();
      expect(dealt).toHaveLength(250);
      expect(new Set(dealt).size).toBe(250);
    }
    // 25 forwards × 70 s = 1750 s = 29.17 min between two queries of one miner by one validator.
    expect((25 * 70) / 60).toBeCloseTo(29.17, 2);
  });

  it('deals on across a refill boundary: 5 forwards of 25 miners deal each twice', () => {
    // 25 miners: forwards 1–2 take 20 of the first deck, forward 3 its last 5 and the first 5 of a
    // reshuffled one, so over 5 forwards (two passes, 50 draws) every uid comes exactly twice.
    const deck = new UidDeck(() => uids(25), new Rng(7));
    const dealt = Array.from({ length: 5 }, () => deck.next(10)).flat();
    for (const uid of uids(25)) expect(dealt.filter((x) => x === uid)).toHaveLength(2);
    // Fewer serving miners than a forward asks: the deck is reshuffled until 10 are dealt.
    expect(new UidDeck(() => uids(4), new Rng(1)).next(10)).toHaveLength(10);
  });

  it('makes 100 answers per validator about 2 days on mainnet', () => {
    // Each answer of one validator costs a deck pass: 250/10 forwards × 70 s = 1750 s.
    // 100 × 1750 s = 175 000 s = 48.61 h = 2.03 days.
    const equivalent = realTimeEquivalent(100, null);
    expect(equivalent.hours).toBeCloseTo(48.61, 2);
    expect(equivalent.days).toBeCloseTo(2.03, 2);
    expect(equivalent.assumptions).toEqual({
      mainnetMiners: 250,
      minersFrom: 'assumed',
      forwardSeconds: 70,
      sampleSize: 10,
    });
    expect(equivalent.summary).toContain('these 100 answers per validator are about 2 days on mainnet');
    // With the live subnet's 125 serving miners a pass is 12.5 forwards: 100 × 875 s = 24.31 h.
    expect(realTimeEquivalent(100, 125).hours).toBeCloseTo(24.31, 2);
    // A new miner's score after 100 queries at a steady reward: 1 − 0.95^100 = 1 − 0.005921 = 0.994079.
    expect(equivalent.scoreRamp).toBeCloseTo(0.994079, 6);
  });

  it('closes a tempo every 360 blocks × 12 s = 4320 s at the real pace', () => {
    // Forwards 70 s apart: tempo k closes at the first forward at or past 4320·k s, forward
    // ⌈4320k/70⌉: 61.71 → 62, 123.43 → 124, 185.14 → 186.
    const closing = Array.from({ length: 200 }, (_, i) => i + 1).filter((r) => tempoDue(PACES.real, r));
    expect(closing).toEqual([62, 124, 186]);
    // The demo's pace: a forward every 2 s, a tempo every 5 of them.
    expect(PACES.compressed).toEqual({ roundIntervalMs: 2000, tempoRounds: 5 });
  });
});

describe('the images (image_transforms.py, forward.py)', () => {
  const imageTempDir = useTempDirs();

  /** An RGB image whose R rises left to right (80 → 255) and G top to bottom: any flip shows. */
  async function gradientPng(width: number, height: number): Promise<Buffer> {
    const data = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const at = (y * width + x) * 3;
        data[at] = 80 + Math.round((175 * x) / (width - 1));
        data[at + 1] = 80 + Math.round((175 * y) / (height - 1));
        data[at + 2] = 128;
      }
    return sharp(data, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer();
  }

  async function rawRgb(jpeg: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
    const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  }

  it('never flips: 0 flips in 400 draws (the flip transforms keep params = {})', async () => {
    // RandomHorizontal/VerticalFlipWithParams set self.params = {} in __init__, so forward() takes
    // the branch that flips only if params["do_flip"]: never. On the gradient image a horizontal
    // flip would put the high R on the left, a vertical one the high G at the top. Rotation by at
    // most 20° keeps both orders (cos 20° = 0.94 of each gradient stays along its own axis), and
    // a crop keeps them too; black corners (R+G+B < 150: the image's darkest grey, 80·0.725 ×3 at
    // the strongest darkening, is 174) are left out of the means.
    const png = await gradientPng(48, 32);
    let flips = 0;
    for (let draw = 0; draw < 400; draw++) {
      const { data, width, height } = await rawRgb((await distort(png, new Rng(draw))).jpeg);
      const sums = { left: [0, 0], right: [0, 0], top: [0, 0], bottom: [0, 0] };
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          const at = (y * width + x) * 3;
          if (data[at]! + data[at + 1]! + data[at + 2]! < 150) continue;
          const across = x < width / 2 ? sums.left : sums.right;
          across[0]! += data[at]!;
          across[1]! += 1;
          const down = y < height / 2 ? sums.top : sums.bottom;
          down[0]! += data[at + 1]!;
          down[1]! += 1;
        }
      const mean = ([sum, n]: number[]): number => sum! / n!;
      if (mean(sums.right) <= mean(sums.left) || mean(sums.bottom) <= mean(sums.top)) flips++;
    }
    expect(flips).toBe(0);
  });

  it('adds Gaussian noise in their scaled Y′CbCr: RGB std 15.94/11.88/18.79 (p 0.001), 22.54/16.80/26.57 (p 0.002)', () => {
    // Noise √p·N(0,1) is added to Y′, Cb′, Cr′ scaled to 0–1, i.e. 255·√p grey levels:
    //   p 0.001: 255·0.0316228 = 8.0638. Undoing Y′ = (219Y+16)/255 and C′ = (224C+16)/255:
    //   σ_Y = 8.0638·255/219 = 9.3895, σ_C = 8.0638·255/224 = 9.1797 (σ_C² = 84.267).
    //   R = Y + 1.403·Cr → √(9.3895² + 1.403²·84.267) = √(88.163 + 165.87) = 15.938
    //   G = Y − 0.714·Cr − 0.344·Cb → √(88.163 + (0.5098 + 0.1183)·84.267) = √141.09 = 11.878
    //   B = Y + 1.773·Cb → √(88.163 + 3.1435·84.267) = √353.06 = 18.790
    //   p 0.002: each ×√2 → 22.540, 16.798, 26.573.
    // R and B share only the luma noise: corr = σ_Y²/(σ_R·σ_B) = 88.163/(15.938·18.790) = 0.294
    // (a per-channel noise, as ours was, would give 0). Mid-grey 128 ± 3σ stays inside 0–255,
    // so clipping does not narrow it; the floor adds 1/12 to each variance (+0.003 in std).
    const grey: Pixels = blankPixels(256, 256);
    grey.data.fill(128);
    const measured = (variance: number): { std: number[]; corrRB: number } => {
      const { data } = gaussianNoise(grey, variance, new Rng(variance * 1e6));
      const n = data.length / 3;
      const mean = [0, 1, 2].map((c) => {
        let sum = 0;
        for (let i = c; i < data.length; i += 3) sum += data[i]!;
        return sum / n;
      });
      const cov = (a: number, b: number): number => {
        let sum = 0;
        for (let i = 0; i < data.length; i += 3) sum += (data[i + a]! - mean[a]!) * (data[i + b]! - mean[b]!);
        return sum / n;
      };
      const std = [0, 1, 2].map((c) => Math.sqrt(cov(c, c)));
      return { std, corrRB: cov(0, 2) / (std[0]! * std[2]!) };
    };
    const low = measured(0.001);
    const high = measured(0.002);
    [15.94, 11.88, 18.79].forEach((expected, c) => expect(Math.abs(low.std[c]! - expected)).toBeLessThan(1));
    [22.54, 16.8, 26.57].forEach((expected, c) => expect(Math.abs(high.std[c]! - expected)).toBeLessThan(1));
    expect(Math.abs(low.corrRB - 0.294)).toBeLessThan(0.03);
  });

  it('rotates by nearest neighbour: no colour that was not in the input, black corners', () => {
    // A two-colour checkerboard (4-px squares); torchvision's F.rotate without an interpolation
    // argument samples the nearest pixel, so every output pixel is one of the two or black fill.
    const board = blankPixels(40, 30);
    const colours = [
      [200, 40, 40],
      [40, 90, 220],
    ];
    for (let y = 0; y < 30; y++)
      for (let x = 0; x < 40; x++)
        board.data.set(colours[(Math.floor(x / 4) + Math.floor(y / 4)) % 2]!, (y * 40 + x) * 3);
    for (const degrees of [-19.7, -8.25, 3.1, 12.6, 20]) {
      const rotated = rotateNearest(board, degrees);
      const seen = new Set<string>();
      for (let i = 0; i < rotated.data.length; i += 3) seen.add(Array.from(rotated.data.subarray(i, i + 3)).join(','));
      expect([...seen].sort()).toEqual(['0,0,0', '200,40,40', '40,90,220']);
    }
    // Sense and centre: +90° turns a square counter-clockwise, so input pixel (x, y) of a 4×4
    // image lands at (y, 3 − x): its top-right pixel (3, 0) becomes the top-left one.
    const square = blankPixels(4, 4);
    for (let i = 0; i < 16; i++) square.data[i * 3] = i; // R = y·4 + x
    const turned = rotateNearest(square, 90);
    const r = (x: number, y: number): number => turned.data[(y * 4 + x) * 3]!;
    expect([r(0, 0), r(0, 3), r(3, 3), r(1, 2)]).toEqual([3, 0, 12, 4 * 1 + (3 - 2)]);
  });

  it('draws label and level independently for every challenge: each (label, level) pair about 1/8', () => {
    // forward.py: label = choice([0, 1]); then real/synthetic; apply_augmentation_by_level draws
    // the level, 25 % each. Independent → P(label, level) = 1/2 · 1/4 = 1/8: 50 of 400, binomial
    // sd √(400 · 1/8 · 7/8) = 6.6, so each count within 50 ± 20 (3σ). (The old source tied them:
    // roadwork only at levels 0 and 2, none only at 1 and 3.)
    for (const hasPhotos of [false, true]) {
      const rng = new Rng(hasPhotos ? 15 : 16);
      const counts = new Map<string, number>();
      let photos = 0;
      for (let i = 0; i < 400; i++) {
        const draw = drawChallenge(rng, hasPhotos);
        counts.set(`${draw.label}/${draw.level}`, (counts.get(`${draw.label}/${draw.level}`) ?? 0) + 1);
        if (draw.origin === 'photo') photos++;
      }
      expect(counts.size).toBe(8);
      for (const count of counts.values()) expect(Math.abs(count - 50)).toBeLessThanOrEqual(20);
      // Real photos: half the challenges when a labelled folder is there (200 ± 3·10), none without.
      if (hasPhotos) expect(Math.abs(photos - 200)).toBeLessThanOrEqual(30);
      else expect(photos).toBe(0);
    }
  });

  it('distorts a pooled generated scene afresh each time it is sent', async () => {
    // A pool of 2 holds one undistorted scene per label: were the distortion kept with the
    // scene, 8 challenges could bring at most 2 distinct images. Drawn afresh, only two level-0
    // sends of the same label coincide (P = 1/16 per same-label pair).
    const source = sceneChallenges(9, 2);
    expect(source.hasPhotos).toBe(false);
    const rng = new Rng(3);
    const sent = [];
    for (let i = 0; i < 8; i++) sent.push(await source.next(rng));
    expect(sent.every((challenge) => challenge.origin === 'generated')).toBe(true);
    expect(new Set(sent.map((challenge) => challenge.jpeg.toString('base64'))).size).toBeGreaterThan(2);
  });

  it('sends about half real photos with a labelled folder', async () => {
    // forward.py: use_synthetic = rand() < 0.5, so half the challenges are the real dataset's.
    // 40 challenges: 20 photos expected, sd √(40/4) = 3.2 → within 20 ± 8.
    const dir = await imageTempDir();
    for (const label of ['roadwork', 'none'] as const) {
      await mkdir(join(dir, label));
      await writeFile(join(dir, label, 'frame.png'), await gradientPng(64, 36));
    }
    const source = await folderChallenges(dir, 4, 2);
    expect(source.hasPhotos).toBe(true);
    const rng = new Rng(8);
    let photos = 0;
    for (let i = 0; i < 40; i++) if ((await source.next(rng)).origin === 'photo') photos++;
    expect(Math.abs(photos - 20)).toBeLessThanOrEqual(8);
  });
});
