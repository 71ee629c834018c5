import { describe, expect, it } from 'vitest';
import type { ChallengeRecord } from '../shared/domain/challenge.js';
import { latencyBins } from './latency-bins.js';

const record = (latencyMs: number, status = 200): ChallengeRecord => ({
  id: 1,
  time: new Date(0).toISOString(),
  hotkey: 'v',
  uid: 0,
  status,
  message: '',
  latencyMs,
  prediction: status === 200 ? 0.9 : null,
  firstStage: null,
  secondStage: null,
  testnetLabel: null,
  imageHash: null,
  hardCase: false,
});

describe('latency histogram', () => {
  it('bins answered challenges by latency, with a bin past the 9 s deadline, and ignores refusals', () => {
    const bins = latencyBins([record(3), record(5), record(7), record(9500), record(1, 403)]);
    expect(bins.find((b) => b.bin === '≤5')?.count).toBe(2);
    expect(bins.find((b) => b.bin === '≤10')?.count).toBe(1);
    expect(bins.find((b) => b.bin === '>9000')?.count).toBe(1);
    expect(bins.reduce((sum, b) => sum + b.count, 0)).toBe(4);
  });
});
