/**
 * The hard cases: images the miner was unsure of, imported or generated ones, and their labels.
 * Rows in SQLite (WAL, full sync: a label call that returned is on disk), images as
 * content-addressed files, so the same image sent twice is one case seen twice. Every labelling
 * is an event, so undo and redo work across a restart.
 */
import { createHash } from 'node:crypto';
import type { HardCase, HardCaseCounts, HardCaseLabel } from '../../shared/domain/hard-case.js';
import { contentPath, writeOnce } from '../store/content-files.js';
import type { Db } from '../store/database.js';

export const HARD_CASE_MIGRATION = `CREATE TABLE hard_cases (
     hash TEXT PRIMARY KEY,
     source TEXT NOT NULL,
     first_seen TEXT NOT NULL,
     last_seen TEXT NOT NULL,
     times_seen INTEGER NOT NULL,
     validator TEXT,
     prediction REAL,
     first_stage REAL,
     second_stage REAL,
     confidence REAL,
     testnet_label INTEGER,
     label TEXT NOT NULL DEFAULT 'unlabelled',
     labelled_by TEXT,
     labelled_at TEXT
   );
   CREATE INDEX hard_cases_label ON hard_cases(label);
   CREATE INDEX hard_cases_confidence ON hard_cases(confidence);
   CREATE INDEX hard_cases_last_seen ON hard_cases(last_seen);
   CREATE TABLE label_events (
     id INTEGER PRIMARY KEY,
     time TEXT NOT NULL,
     by TEXT NOT NULL,
     label TEXT NOT NULL,
     before TEXT NOT NULL,
     undone INTEGER NOT NULL DEFAULT 0
   );`;

export interface SeenImage {
  hash: string;
  source: HardCase['source'];
  time: string;
  validator: string | null;
  prediction: number | null;
  firstStage: number | null;
  secondStage: number | null;
  testnetLabel: number | null;
}

/** What an undo or redo changed, for the gallery to show. */
export interface LabelChange {
  hashes: string[];
  labels: Record<string, HardCaseLabel>;
}

interface Row {
  hash: string;
  source: HardCase['source'];
  first_seen: string;
  last_seen: string;
  times_seen: number;
  validator: string | null;
  prediction: number | null;
  first_stage: number | null;
  second_stage: number | null;
  confidence: number | null;
  testnet_label: number | null;
  label: HardCaseLabel;
  labelled_by: string | null;
  labelled_at: string | null;
}

interface EventRow {
  id: number;
  label: HardCaseLabel;
  before: string;
  by: string;
}

/** The store's statements, compiled once: labelling runs in bursts, one call per card. */
function prepareStatements(db: Db) {
  const list = (where: string) =>
    db.prepare(
      `SELECT * FROM hard_cases ${where} ORDER BY confidence IS NULL, confidence ASC, last_seen DESC LIMIT @limit OFFSET @offset`,
    );
  return {
    exists: db.prepare('SELECT 1 FROM hard_cases WHERE hash = ?'),
    seenAgain: db.prepare(
      `UPDATE hard_cases SET times_seen = times_seen + 1, last_seen = @time,
         validator = COALESCE(@validator, validator), testnet_label = COALESCE(@testnetLabel, testnet_label)
       WHERE hash = @hash`,
    ),
    insert: db.prepare(
      `INSERT INTO hard_cases (hash, source, first_seen, last_seen, times_seen, validator, prediction, first_stage,
         second_stage, confidence, testnet_label)
       VALUES (@hash, @source, @time, @time, 1, @validator, @prediction, @firstStage, @secondStage, @confidence, @testnetLabel)`,
    ),
    get: db.prepare('SELECT * FROM hard_cases WHERE hash = ?'),
    listAll: list(''),
    listLabelled: list('WHERE label = @label'),
    counts: db.prepare('SELECT label, COUNT(*) AS n FROM hard_cases GROUP BY label'),
    labelOf: db.prepare('SELECT label FROM hard_cases WHERE hash = ?'),
    forgetRedo: db.prepare('DELETE FROM label_events WHERE undone = 1'),
    addEvent: db.prepare('INSERT INTO label_events (time, by, label, before) VALUES (?, ?, ?, ?)'),
    latestDone: db.prepare('SELECT id, label, before, by FROM label_events WHERE undone = 0 ORDER BY id DESC LIMIT 1'),
    earliestUndone: db.prepare(
      'SELECT id, label, before, by FROM label_events WHERE undone = 1 ORDER BY id ASC LIMIT 1',
    ),
    markUndone: db.prepare('UPDATE label_events SET undone = ? WHERE id = ?'),
    setLabel: db.prepare(
      `UPDATE hard_cases SET label = @label,
         labelled_by = CASE WHEN @label = 'unlabelled' THEN NULL ELSE @by END,
         labelled_at = CASE WHEN @label = 'unlabelled' THEN NULL ELSE @time END
       WHERE hash = @hash`,
    ),
  };
}

export class HardCaseStore {
  private readonly sql: ReturnType<typeof prepareStatements>;

  constructor(
    private readonly db: Db,
    /** Where full images live (`<root>/<aa>/<hash>.jpg`): the challenge log's `images/full`. */
    private readonly imagesRoot: string,
  ) {
    this.sql = prepareStatements(db);
  }

  static hashOf(image: Buffer): string {
    return createHash('sha256').update(image).digest('hex');
  }

  imagePath(hash: string): string {
    return contentPath(this.imagesRoot, hash);
  }

  /** Stores the image (once) and records a sighting: a new case, or one more time seen. */
  async addImage(image: Buffer, seen: Omit<SeenImage, 'hash'>): Promise<{ hash: string; duplicate: boolean }> {
    const hash = HardCaseStore.hashOf(image);
    await writeOnce(this.imagePath(hash), image);
    return { hash, duplicate: this.recordSighting({ ...seen, hash }) };
  }

  /** A sighting of an image already on disk (the challenge log wrote it). Returns whether it was known. */
  recordSighting(seen: SeenImage): boolean {
    const confidence = seen.prediction === null ? null : Math.max(seen.prediction, 1 - seen.prediction);
    const known = this.sql.exists.get(seen.hash) !== undefined;
    if (known) this.sql.seenAgain.run(seen);
    else this.sql.insert.run({ ...seen, confidence });
    return known;
  }

  get(hash: string): HardCase | null {
    const row = this.sql.get.get(hash) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  /** Least sure first (then newest): the order labelling pays most in. */
  list(limit: number, offset = 0, label?: HardCaseLabel): HardCase[] {
    const rows = (
      label ? this.sql.listLabelled.all({ label, limit, offset }) : this.sql.listAll.all({ limit, offset })
    ) as Row[];
    return rows.map(fromRow);
  }

  counts(): HardCaseCounts {
    const rows = this.sql.counts.all() as { label: HardCaseLabel; n: number }[];
    const by = Object.fromEntries(rows.map((row) => [row.label, row.n])) as Partial<Record<HardCaseLabel, number>>;
    const counts = {
      roadwork: by.roadwork ?? 0,
      none: by.none ?? 0,
      skip: by.skip ?? 0,
      unlabelled: by.unlabelled ?? 0,
    };
    return { ...counts, total: counts.roadwork + counts.none + counts.skip + counts.unlabelled };
  }

  /**
   * Labels cases, as one undoable step; durable when it returns. A new step clears what could be
   * redone, as every editor's history does.
   */
  label(hashes: readonly string[], label: HardCaseLabel, by: string): LabelChange {
    return this.db.transaction(() => {
      const before: Record<string, HardCaseLabel> = {};
      for (const hash of new Set(hashes)) {
        const row = this.sql.labelOf.get(hash) as { label: HardCaseLabel } | undefined;
        if (row) before[hash] = row.label;
      }
      const known = Object.keys(before);
      if (known.length === 0) return { hashes: [], labels: {} };
      this.sql.forgetRedo.run();
      this.sql.addEvent.run(new Date().toISOString(), by, label, JSON.stringify(before));
      return this.apply(Object.fromEntries(known.map((hash) => [hash, label])), by);
    })();
  }

  /** Takes back the latest labelling step; null when there is none. */
  undo(): LabelChange | null {
    return this.step('undo');
  }

  /** Does again the step undone last; null when there is none. */
  redo(): LabelChange | null {
    return this.step('redo');
  }

  /** Undo restores each case's label from before the step; redo puts the step's label back. */
  private step(direction: 'undo' | 'redo'): LabelChange | null {
    return this.db.transaction(() => {
      const statement = direction === 'undo' ? this.sql.latestDone : this.sql.earliestUndone;
      const event = statement.get() as EventRow | undefined;
      if (!event) return null;
      this.sql.markUndone.run(direction === 'undo' ? 1 : 0, event.id);
      const before = JSON.parse(event.before) as Record<string, HardCaseLabel>;
      const labels =
        direction === 'undo' ? before : Object.fromEntries(Object.keys(before).map((hash) => [hash, event.label]));
      return this.apply(labels, event.by);
    })();
  }

  private apply(labels: Record<string, HardCaseLabel>, by: string): LabelChange {
    const time = new Date().toISOString();
    for (const [hash, label] of Object.entries(labels)) this.sql.setLabel.run({ hash, label, by, time });
    return { hashes: Object.keys(labels), labels };
  }
}

function fromRow(row: Row): HardCase {
  return {
    hash: row.hash,
    source: row.source,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    timesSeen: row.times_seen,
    validator: row.validator,
    prediction: row.prediction,
    firstStage: row.first_stage,
    secondStage: row.second_stage,
    confidence: row.confidence,
    testnetLabel: row.testnet_label,
    label: row.label,
    labelledBy: row.labelled_by,
    labelledAt: row.labelled_at,
  };
}
