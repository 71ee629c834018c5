import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * The console's database: SQLite in WAL mode with full sync, so a write that returned survives
 * a crash or a power cut. Migrations run in order, each in a transaction, tracked by user_version.
 */
export function openDatabase(path: string, migrations: readonly string[]): Db {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let i = version; i < migrations.length; i++) {
    db.transaction(() => {
      db.exec(migrations[i]!);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
  return db;
}
