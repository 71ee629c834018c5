import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LogService } from '../log/log-service.js';
import { rehearse } from './rehearsal.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DEFAULT_MODEL = join(ROOT, 'resources', 'models', 'default');
const log = new LogService({ filePath: null }).forSource('rehearsal');
const field = { validators: 3, peers: 12, challenges: 40, seed: 7, log };

describe('the local subnet, end to end over loopback', { timeout: 120_000 }, () => {
  it('ranks the default model in the top quarter against a spread of peers', async () => {
    const result = await rehearse({ ...field, modelDir: DEFAULT_MODEL });
    expect(result.miners).toBe(13);
    // Each validator ran forwards of 10 of the 13 until it had asked our miner 40 times (41 when
    // its deck dealt our miner twice in the last forward): every one answered over HTTP.
    expect(result.failures).toBe(0);
    expect(result.answers).toBeGreaterThanOrEqual(120);
    expect(result.answers).toBeLessThanOrEqual(123);
    expect(result.forwards).toBeGreaterThan(40);
    expect(result.rank).toBeLessThanOrEqual(Math.ceil(result.miners / 4));
    expect(result.accuracy).toBeGreaterThan(0.85);
    expect(result.incentive).toBeGreaterThan(1 / result.miners);
  });

  it('fits its peers to a live subnet when given its incentives', async () => {
    const live = Array.from({ length: 8 }, (_, i) => 0.2 / (i + 1));
    const result = await rehearse({ ...field, challenges: 10, fitTo: live, answer: () => Promise.resolve(0.5) });
    expect(result).toMatchObject({ peers: 8, miners: 9 });
  });

  it('ranks a constant 0.5 in the bottom quarter', async () => {
    const result = await rehearse({ ...field, answer: () => Promise.resolve(0.5) });
    expect(result.rank).toBeGreaterThan(result.miners - Math.ceil(result.miners / 4));
    expect(result.mcc).toBe(0);
    expect(result.meanReward).toBeLessThanOrEqual(0.125);
  });
});

describe('npm run rehearse -- --json', { timeout: 120_000 }, () => {
  it('reports what the answers amount to on mainnet and what images they were judged on', async () => {
    const { stdout } = await promisify(execFile)(
      join(ROOT, 'node_modules', '.bin', 'tsx'),
      [
        'main/subnet/rehearse-cli.ts',
        ...['--constant', '0.5', '--validators', '2', '--peers', '12', '--challenges', '10', '--json'],
      ],
      { cwd: ROOT },
    );
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      pace: 'compressed',
      realTimeEquivalent: {
        assumptions: { mainnetMiners: 250, minersFrom: 'assumed', forwardSeconds: 70, sampleSize: 10 },
        // 250 miners / 10 per forward × 70 s: a query every 29.17 min, 2.057 an hour. 64 % needs
        // 0.95^k = 0.36, k = ln 0.36 / ln 0.95 = 19.92 queries = 9.68 h; 6 h down = 12.34 missed
        // queries, 0.95^12.34 = 0.531 kept.
        newMinerHoursTo: { '64%': expect.closeTo(9.68, 2) as number },
        scoreKeptAfterDowntime: { '6h': expect.closeTo(0.531, 3) as number },
      },
      imageSources: {
        photo: 0,
        comparableWithMainnet: false,
        note: 'judged on generated scenes only: not comparable with mainnet',
      },
    });
    const { realTimeEquivalent, imageSources, answers, failures } = report as {
      realTimeEquivalent: { answersPerValidator: number; hours: number; summary: string };
      imageSources: { generated: number };
      answers: number;
      failures: number;
    };
    // Every image our miner was asked about is counted by origin.
    expect(imageSources.generated).toBe(answers + failures);
    // About 10 answers per validator, each a deck pass of 250/10 = 25 forwards × 70 s on mainnet:
    // 10 × 1750 s = 4.86 h (one more answer, from a deck dealing our miner twice, 5.35 h).
    expect(realTimeEquivalent.answersPerValidator).toBeGreaterThanOrEqual(10);
    expect(realTimeEquivalent.hours).toBeCloseTo((realTimeEquivalent.answersPerValidator * 25 * 70) / 3600, 9);
    expect(realTimeEquivalent.summary).toMatch(
      /^these 10(\.\d)? answers per validator are about (4\.9|5\.\d) h on mainnet/,
    );
  });
});
