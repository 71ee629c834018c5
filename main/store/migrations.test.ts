import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/temp-dir.js';
import { openDatabase, type Db } from './database.js';
import { MIGRATIONS, migrationsBefore } from './migrations.js';

const tempDir = useTempDirs();

/** Everything the schema consists of, so two databases can be compared. */
function schemaOf(db: Db): { version: number; objects: unknown[] } {
  return {
    version: db.pragma('user_version', { simple: true }) as number,
    objects: db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name').all(),
  };
}

describe('the console database migrations', () => {
  it('are these steps in this order, for ever: a database counts the steps it applied, so only appending is safe', () => {
    expect(MIGRATIONS.map((migration) => migration.name)).toEqual([
      'challenges',
      'standing-history',
      'live-incentives',
      'hard-cases',
      'hard-case-embeddings',
      'model-registry',
      'training-runs',
      'alerts',
      'emission-readings',
      'tao-usd-prices',
      'live-params',
    ]);
  });

  it('make a database that opens again unchanged, with no step run twice', async () => {
    const path = join(await tempDir(), 'console.db');
    const created = openDatabase(path, MIGRATIONS);
    const schema = schemaOf(created);
    created.prepare("INSERT INTO tao_usd_prices (date, usd) VALUES ('2026-03-01', 400)").run();
    created.close();
    expect(schema.version).toBe(MIGRATIONS.length);

    const reopened = openDatabase(path, MIGRATIONS);
    expect(schemaOf(reopened)).toEqual(schema);
    expect(reopened.prepare('SELECT date, usd FROM tao_usd_prices').all()).toEqual([{ date: '2026-03-01', usd: 400 }]);
    reopened.close();
  });

  it('bring a database from before a step to the same schema as a new one', async () => {
    const dir = await tempDir();
    const fresh = openDatabase(join(dir, 'fresh.db'), MIGRATIONS);
    const older = openDatabase(join(dir, 'older.db'), migrationsBefore('hard-case-embeddings'));
    expect(schemaOf(older).version).toBe(4);
    older.close();
    const upgraded = openDatabase(join(dir, 'older.db'), MIGRATIONS);
    expect(schemaOf(upgraded)).toEqual(schemaOf(fresh));
    upgraded.close();
    fresh.close();
  });
});
