import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * One step of the schema. Applied steps are counted in the database's user_version, so a step's
 * place in the list is what says whether it ran: steps are only ever appended, never reordered,
 * removed or edited. The name is for people and tests (MIGRATIONS pins them in order).
 */
export interface Migration {
  readonly name: string;
  readonly sql: string;
}

/**
 * The console's database: SQLite in WAL mode with full sync, so a write that returned survives
 * a crash or a power cut. Migrations run in order, each in a transaction, tracked by user_version.
 */
export function openDatabase(path: string, migrations: readonly Migration[]): Db {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let i = version; i < migrations.length; i++) {
    db.transaction(() => {
      db.exec(migrations[i]!.sql);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
  return db;
}
