import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ChallengeRecordSchema } from '../../shared/domain/challenge.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { LogService } from '../log/log-service.js';
import { renderStreetImage } from '../scenes/generate.js';
import { openDatabase } from '../store/database.js';
import { MIGRATIONS } from '../store/migrations.js';
import { ChallengeLog, type ChallengeInput } from './challenge-log.js';

const tempDir = useTempDirs();

function open(dir: string): ChallengeLog {
  return new ChallengeLog(
    openDatabase(join(dir, 'console.db'), MIGRATIONS),
    join(dir, 'images'),
    new LogService({ filePath: null }).forSource('miner'),
  );
}

const answered = (image: Buffer | null, prediction: number | null): ChallengeInput => ({
  time: new Date().toISOString(),
  hotkey: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
  uid: 0,
  status: prediction === null ? 403 : 200,
  message: prediction === null ? 'not registered' : 'Success',
  latencyMs: 4.2,
  prediction,
  firstStage: prediction,
  secondStage: null,
  testnetLabel: null,
  image,
});

describe('the challenge log', () => {
  it('keeps every request across a restart, newest last', async () => {
    const dir = await tempDir();
    const image = (await renderStreetImage(1, 'roadwork', 0)).jpeg;
    const log = open(dir);
    await log.record(answered(image, 0.93));
    await log.record(answered(null, null));
    const reopened = open(dir);
    const records = reopened.recent(10);
    expect(records.map((r) => r.status)).toEqual([200, 403]);
    for (const record of records) expect(ChallengeRecordSchema.safeParse(record).success).toBe(true);
  });

  it('stores a thumbnail once per image, and the whole image only for a hard case', async () => {
    const dir = await tempDir();
    const log = open(dir);
    const sure = (await renderStreetImage(2, 'none', 0)).jpeg;
    const unsure = (await renderStreetImage(3, 'roadwork', 0)).jpeg;
    const a = await log.record(answered(sure, 0.04));
    const b = await log.record(answered(sure, 0.05));
    const c = await log.record(answered(unsure, 0.62));
    expect(a.imageHash).toBe(b.imageHash);
    expect([a.hardCase, c.hardCase]).toEqual([false, true]);
    expect((await sharp(log.thumbnailPath(a.imageHash!)).metadata()).width).toBe(96);
    expect(existsSync(log.imagePath(a.imageHash!))).toBe(false);
    expect(existsSync(log.imagePath(c.imageHash!))).toBe(true);
  });

  it('logs a request whose image does not decode, without a thumbnail', async () => {
    const log = open(await tempDir());
    const record = await log.record(answered(Buffer.from('garbage'), 0.5));
    expect(record.status).toBe(200);
    expect(existsSync(log.thumbnailPath(record.imageHash!))).toBe(false);
  });

  it('replays the backlog to a new subscriber, then streams', async () => {
    const log = open(await tempDir());
    await log.record(answered(null, null));
    const seen: number[] = [];
    const subscription = log.stream(5, (record) => seen.push(record.id));
    await log.record(answered(null, null));
    subscription.dispose();
    expect(seen).toEqual([1, 2]);
  });
});
