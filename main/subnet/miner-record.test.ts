import { describe, expect, it } from 'vitest';
import { MinerRecord } from './miner-record.js';

describe("a validator's reward for each answer", () => {
  it('follows the formula on a hand-checked sequence', () => {
    const record = new MinerRecord();
    // 1st: one class seen so far, MCC counts as 0; accuracy 1/1 → (0.5·0 + 0.5·1)³ = 0.125.
    expect(record.reward(0.9, 1)).toBeCloseTo(0.125, 12);
    // 2nd: both right, both classes → MCC 1, accuracy 1 → 1.
    expect(record.reward(0.2, 0)).toBeCloseTo(1, 12);
    // 3rd: wrong (0.7 on a clear image). tp 1, tn 1, fp 1, fn 0:
    // MCC = (1·1 − 1·0)/√(2·1·2·1) = 0.5; accuracy 2/3 → (0.25 + 1/3)³ = (7/12)³.
    expect(record.reward(0.7, 0)).toBeCloseTo((7 / 12) ** 3, 12);
    // 4th: exactly 0.5 rounds to "none" (half to even), right on a clear image.
    // tp 1, tn 2, fp 1, fn 0: MCC = 2/√(2·1·3·2) = 0.57735; accuracy 3/4.
    expect(record.reward(0.5, 0)).toBeCloseTo((0.5 * (2 / Math.sqrt(12)) + 0.5 * 0.75) ** 3, 12);
  });

  it('gives no answer, and an answer out of range, zero but remembers them', () => {
    const record = new MinerRecord();
    record.reward(0.9, 1);
    expect(record.reward(-1, 0)).toBe(0);
    expect(record.reward(1.5, 0)).toBe(0);
    expect(record.reward(Number.NaN, 0)).toBe(0);
    expect(record.summary).toMatchObject({ answers: 4, timeouts: 1 });
  });

  it('forgets a NaN only when it leaves the window', () => {
    const record = new MinerRecord();
    record.reward(0.9, 1);
    record.reward(Number.NaN, 0);
    // The NaN sits in both windows: both report zeros, so even a right answer earns (0.5·0 + 0.5·0)³.
    for (let i = 0; i < 9; i++) expect(record.reward(i % 2 ? 0.9 : 0.1, i % 2 ? 1 : 0)).toBe(0);
    // 12th answer: the last 10 are all right (accuracy 1) but the 100-window still holds the NaN
    // (MCC 0) → (0.5·0 + 0.5·1)³ = 0.125.
    expect(record.reward(0.9, 1)).toBeCloseTo(0.125, 12);
  });

  it('counts only the last 10 for accuracy and the last 100 for MCC', () => {
    const record = new MinerRecord();
    for (let i = 0; i < 100; i++) record.reward(i % 2 ? 0.9 : 0.1, i % 2 ? 1 : 0);
    for (let i = 0; i < 9; i++) record.reward(0.9, 0); // nine misses
    // Last 10: one right, nine wrong → 0.1. Last 100: 91 right, 9 false positives.
    const last = record.reward(0.9, 1);
    // tp 46, tn 45, fp 9, fn 0 over the last 100.
    const m = (46 * 45 - 9 * 0) / Math.sqrt((46 + 9) * 46 * (45 + 9) * 45);
    expect(last).toBeCloseTo((0.5 * m + 0.5 * 0.1) ** 3, 12);
    expect(record.summary.answers).toBe(100);
  });

  it('earns at most 0.125 by always answering one class', () => {
    const record = new MinerRecord();
    let best = 0;
    for (let i = 0; i < 50; i++) best = Math.max(best, record.reward(0.9, i % 2 ? 1 : 0));
    expect(best).toBeLessThanOrEqual(0.125);
  });
});
