import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EarningsSummary } from '../../shared/domain/earnings.js';
import type { StandingPoint } from '../../shared/domain/metagraph.js';
import { ApiError } from '../../shared/errors.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { MetagraphHistory } from '../chain/metagraph-history.js';
import { LogService } from '../log/log-service.js';
import { SettingsService } from '../settings/settings-service.js';
import { openDatabase } from '../store/database.js';
import { MIGRATIONS, migrationsBefore } from '../store/migrations.js';
import { EarningsService } from './earnings-service.js';

const tempDir = useTempDirs();

const point = (time: string): StandingPoint => ({
  time,
  source: 'chain',
  netuid: 72,
  block: 1000,
  uid: 17,
  rank: 3,
  miners: 200,
  incentive: 0.01,
  emissionPerDayAlpha: 0,
});

async function open(dir: string) {
  const db = openDatabase(join(dir, 'console.db'), MIGRATIONS);
  const settings = await SettingsService.open(dir, new LogService({ filePath: null }).forSource('settings'));
  const history = new MetagraphHistory(db);
  const earnings = new EarningsService({ db, history, settings });
  return { db, settings, history, earnings, close: () => (earnings.dispose(), history.dispose(), db.close()) };
}

describe('EarningsService on the console database', () => {
  it('keeps α per tempo, tempo and pool price per reading, and earlier rows get theirs from α per day', async () => {
    const dir = await tempDir();
    // A database from before the emission columns: one row holding α per day only (tempo 360).
    const old = openDatabase(join(dir, 'console.db'), migrationsBefore('emission-readings'));
    old
      .prepare(
        `INSERT INTO standing_history (time, source, netuid, block, uid, rank, miners, incentive, emission_per_day)
         VALUES ('2026-03-01T10:00:00Z', 'chain', 72, 900, 17, 3, 200, 0.01, 7200)`,
      )
      .run();
    old.close();
    const { history, settings, earnings, close } = await open(dir);
    history.record(point('2026-03-02T10:00:00Z'), { emissionPerTempo: 2, tempo: 359, taoPerAlpha: 0.05 });
    // 7200 α/day at 7200/361 tempos a day is 361 α a tempo.
    expect(history.emissionReadings()).toEqual([
      expect.objectContaining({ emissionPerTempo: 361, tempo: 360, taoPerAlpha: null }),
      expect.objectContaining({ emissionPerTempo: 2, tempo: 359, taoPerAlpha: 0.05 }),
    ]);
    await settings.update({ economics: { taoUsd: 100 } });
    const summary = earnings.summary(30);
    // Day 1: no pool price on the old row, so no TAO or USD. Day 2: 2 × 20 = 40 α, × 0.05 = 2 TAO, × 100 = 200 USD.
    const [first, second] = summary.days;
    expect(first).toMatchObject({ date: '2026-03-01', taoPerDay: null, earningsUsd: null });
    expect(first!.alphaPerDay).toBeCloseTo(7200, 8);
    expect(second).toMatchObject({ date: '2026-03-02', alphaPerDay: 40, taoPerDay: 2, earningsUsd: 200 });
    close();
  });

  it('streams a new summary on a new reading, a cost change and a price import; a bad price file changes nothing', async () => {
    const { history, settings, earnings, close } = await open(await tempDir());
    const seen: EarningsSummary[] = [];
    const subscription = earnings.streams()['earnings.summary']({ days: 30 }, (summary) => seen.push(summary));
    expect(seen.at(-1)!.days).toEqual([]);

    history.record(point('2026-03-01T10:00:00Z'), { emissionPerTempo: 1, tempo: 359, taoPerAlpha: 0.02 });
    expect(seen).toHaveLength(2);
    expect(seen.at(-1)!.days[0]!.taoPerDay).toBeCloseTo(0.4, 10);

    // A change elsewhere in the settings does not touch the earnings.
    await settings.update({ ui: { theme: 'dark' } });
    expect(seen).toHaveLength(2);
    await settings.update({ economics: { inferenceGpu: { usd: 0.5, per: 'hour' } } });
    expect(seen).toHaveLength(3);
    expect(seen.at(-1)!.costs.total).toBeCloseTo(12, 10);

    expect(earnings.importPrices('date,price\n2026-03-01,500\n')).toEqual({
      imported: 1,
      first: '2026-03-01',
      last: '2026-03-01',
    });
    expect(seen).toHaveLength(4);
    // 0.4 TAO × 500 = 200 USD, less 12 USD of rent.
    expect(seen.at(-1)!.days[0]!.netUsd).toBeCloseTo(188, 8);

    const badImport = (): unknown => earnings.importPrices('2026-03-01,900\n2026-03-02,nine hundred\n');
    expect(badImport).toThrow(ApiError);
    expect(badImport).toThrow('Prices not imported. Line 2: the price "nine hundred" is not a positive number.');
    expect(seen).toHaveLength(4);
    expect(earnings.summary(30).days[0]!.usdPerTao).toBe(500);
    subscription.dispose();
    close();
  });
});
