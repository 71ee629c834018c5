/**
 * The hard cases: images the miner was unsure of, imported or generated ones, and their labels.
 * Rows in SQLite (WAL, full sync: a label call that returned is on disk), images as
 * content-addressed files, so the same image sent twice is one case seen twice. Every labelling
 * is an event, so undo and redo work across a restart. The first stage's embeddings are kept
 * with the cases, and an in-memory index over them says how unlike anything labelled each is.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Statement } from 'better-sqlite3';
import {
  CONFIDENCE_BINS,
  type HardCase,
  type HardCaseCounts,
  type HardCaseFacets,
  type HardCaseFilter,
  type HardCaseLabel,
  type HardCaseSort,
} from '../../shared/domain/hard-case.js';
import { Emitter } from '../base/emitter.js';
import { contentPath, writeOnce } from '../store/content-files.js';
import type { Db } from '../store/database.js';
import { storeThumbnail, thumbnailPath } from '../store/thumbnails.js';
import { decodeEmbedding, decodeEmbeddingInto, encodeEmbedding, type Embedding } from './embedding.js';
import { UniquenessIndex } from './uniqueness-index.js';
import { readSnapshotFile, writeSnapshotFile } from './uniqueness-snapshot-file.js';

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

/**
 * The gallery's columns: each case's embedding (little-endian float32s) with the model that made
 * it, and how far the two stages disagreed (|first − second|, when both answered). The two
 * indexes are the gallery's orders (`ORDER_BY`), so ranking every case reads an index in order.
 */
export const HARD_CASE_EMBEDDING_MIGRATION = `ALTER TABLE hard_cases ADD COLUMN embedding BLOB;
   ALTER TABLE hard_cases ADD COLUMN embedding_model TEXT;
   ALTER TABLE hard_cases ADD COLUMN disagreement REAL;
   UPDATE hard_cases SET disagreement = ABS(first_stage - second_stage)
     WHERE first_stage IS NOT NULL AND second_stage IS NOT NULL;
   CREATE INDEX hard_cases_disagreement ON hard_cases(disagreement IS NULL, disagreement DESC, last_seen DESC);
   CREATE INDEX hard_cases_uncertainty ON hard_cases(confidence IS NULL, confidence, last_seen DESC);`;

/** The hard cases' migrations in order, for a database that holds only them (tests, tools). */
export const HARD_CASE_MIGRATIONS = [HARD_CASE_MIGRATION, HARD_CASE_EMBEDDING_MIGRATION];

export interface SeenImage {
  hash: string;
  source: HardCase['source'];
  time: string;
  validator: string | null;
  prediction: number | null;
  firstStage: number | null;
  secondStage: number | null;
  testnetLabel: number | null;
  /** The first stage's embedding of the image, when its model has one. */
  embedding?: Embedding | null;
}

/** A sighting of an image the operator brought in: no validator sent it and no model has judged it yet. */
export function importedSighting(time = new Date().toISOString()): Omit<SeenImage, 'hash'> {
  return {
    source: 'imported',
    time,
    validator: null,
    prediction: null,
    firstStage: null,
    secondStage: null,
    testnetLabel: null,
  };
}

/** What an undo or redo changed, for the gallery to show. */
export interface LabelChange {
  hashes: string[];
  labels: Record<string, HardCaseLabel>;
}

/** The columns a case is read with (never the embedding): `id` is its rowid, the views' key. */
const COLUMNS = `rowid AS id, hash, source, first_seen, last_seen, times_seen, validator, prediction, first_stage,
  second_stage, confidence, disagreement, testnet_label, label, labelled_by, labelled_at`;

interface Row {
  id: number;
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
  disagreement: number | null;
  testnet_label: number | null;
  label: HardCaseLabel;
  labelled_by: string | null;
  labelled_at: string | null;
}

interface Sighting {
  id: number;
  known: boolean;
  labelled: boolean;
  embedding: Embedding | null;
}

interface Applied {
  change: LabelChange;
  /** The rowids labelled, each with whether it now has a label. */
  ids: Map<number, boolean>;
}

interface EventRow {
  id: number;
  label: HardCaseLabel;
  before: string;
  by: string;
}

/**
 * The orders SQL gives, each the order of an index (rowid, an index's last column, breaks ties);
 * 'uniqueness' starts from the newest first and is sorted here.
 */
const ORDER_BY: Record<HardCaseSort, string> = {
  uncertainty: 'confidence IS NULL, confidence ASC, last_seen DESC, rowid ASC',
  uniqueness: 'last_seen DESC, rowid DESC',
  disagreement: 'disagreement IS NULL, disagreement DESC, last_seen DESC, rowid ASC',
  newest: 'last_seen DESC, rowid DESC',
  oldest: 'last_seen ASC, rowid ASC',
};

/** The store's statements, compiled once: labelling runs in bursts, one call per card. */
function prepareStatements(db: Db) {
  const list = (where: string) =>
    db.prepare(
      `SELECT ${COLUMNS} FROM hard_cases ${where} ORDER BY ${ORDER_BY.uncertainty} LIMIT @limit OFFSET @offset`,
    );
  return {
    known: db.prepare('SELECT rowid AS id, label FROM hard_cases WHERE hash = ?'),
    seenAgain: db.prepare(
      `UPDATE hard_cases SET times_seen = times_seen + 1, last_seen = @time,
         validator = COALESCE(@validator, validator), testnet_label = COALESCE(@testnetLabel, testnet_label),
         embedding = COALESCE(@embedding, embedding),
         embedding_model = CASE WHEN @embedding IS NULL THEN embedding_model ELSE @embeddingModel END
       WHERE hash = @hash`,
    ),
    insert: db.prepare(
      `INSERT INTO hard_cases (hash, source, first_seen, last_seen, times_seen, validator, prediction, first_stage,
         second_stage, confidence, disagreement, testnet_label, embedding, embedding_model)
       VALUES (@hash, @source, @time, @time, 1, @validator, @prediction, @firstStage, @secondStage, @confidence,
         @disagreement, @testnetLabel, @embedding, @embeddingModel)`,
    ),
    get: db.prepare(`SELECT ${COLUMNS} FROM hard_cases WHERE hash = ?`),
    byIds: db.prepare(`SELECT ${COLUMNS} FROM hard_cases WHERE rowid IN (SELECT value FROM json_each(?))`),
    listAll: list(''),
    listLabelled: list('WHERE label = @label'),
    counts: db.prepare('SELECT label, COUNT(*) AS n FROM hard_cases GROUP BY label'),
    embeddingOf: db.prepare('SELECT embedding, embedding_model AS model FROM hard_cases WHERE hash = ?'),
    newestSpace: db.prepare(
      `SELECT embedding_model AS model, length(embedding) / 4 AS dimension FROM hard_cases
       WHERE embedding IS NOT NULL AND embedding_model IS NOT NULL ORDER BY last_seen DESC, rowid DESC LIMIT 1`,
    ),
    inSpace: db.prepare(
      `SELECT rowid AS id, embedding, label <> 'unlabelled' AS labelled FROM hard_cases
       WHERE embedding_model = ? AND length(embedding) = ? ORDER BY rowid`,
    ),
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
       WHERE hash = @hash RETURNING rowid AS id`,
    ),
  };
}

/** A filter as SQL: the conditions and their parameters (the confidence range only when asked). */
function whereOf(filter: HardCaseFilter, withConfidence: boolean): { where: string; params: Record<string, unknown> } {
  const conditions: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.label === 'labelled') conditions.push("label <> 'unlabelled'");
  else if (filter.label !== 'all') conditions.push('label = @label');
  if (filter.label !== 'all' && filter.label !== 'labelled') params.label = filter.label;
  if (filter.source) {
    conditions.push('source = @source');
    params.source = filter.source;
  }
  if (filter.validator) {
    conditions.push('validator = @validator');
    params.validator = filter.validator;
  }
  if (withConfidence && filter.confidence) {
    conditions.push('confidence BETWEEN @min AND @max');
    params.min = filter.confidence.min;
    params.max = filter.confidence.max;
  }
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/** Slices of work on the uniqueness index, between which the event loop runs (the axon shares it). */
const SETTLE_SLICE_MS = 10;

/** How often, at most, settled distances are saved while the console runs (and once more at close). */
const SNAPSHOT_EVERY_MS = 60_000;

export class HardCaseStore {
  private readonly sql: ReturnType<typeof prepareStatements>;
  /** Statements built from a filter, by their text: a handful of shapes, each compiled once. */
  private readonly compiled = new Map<string, Statement>();
  private readonly onDidChangeEmitter = new Emitter<void>();
  /** Fires after new cases or a label change (a step, its undo or redo): the counters may differ. */
  readonly onDidChange = this.onDidChangeEmitter.event;
  private index: UniquenessIndex | null = null;
  private settling: Promise<void> | null = null;
  private disposed = false;
  private readonly making = new Map<string, Promise<boolean>>();
  private lastSnapshot = 0;
  /** Distances settled since the snapshot on disk was written. */
  private snapshotStale = false;

  constructor(
    private readonly db: Db,
    /** Where full images live (`<root>/<aa>/<hash>.jpg`): the challenge log's `images/full`. */
    private readonly imagesRoot: string,
    /** Where thumbnails live, by hash: the challenge log's `images/thumbs`, beside the full images. */
    private readonly thumbnailsRoot = join(imagesRoot, '..', 'thumbs'),
    /** Where the uniqueness index's settled distances are kept between runs. */
    private readonly snapshotPath = join(imagesRoot, '..', 'uniqueness.snapshot'),
  ) {
    this.sql = prepareStatements(db);
    this.loadIndex();
  }

  static hashOf(image: Buffer): string {
    return createHash('sha256').update(image).digest('hex');
  }

  imagePath(hash: string): string {
    return contentPath(this.imagesRoot, hash);
  }

  /** Stores the image (once) and its thumbnail, and records a sighting: a new case, or one more time seen. */
  async addImage(image: Buffer, seen: Omit<SeenImage, 'hash'>): Promise<{ hash: string; duplicate: boolean }> {
    const hash = HardCaseStore.hashOf(image);
    await writeOnce(this.imagePath(hash), image);
    await this.makeThumbnail(hash, image);
    return { hash, duplicate: this.recordSighting({ ...seen, hash }) };
  }

  /** A sighting of an image already on disk (the challenge log wrote it). Returns whether it was known. */
  recordSighting(seen: SeenImage): boolean {
    const sighting = this.write(seen);
    this.indexSighting(sighting);
    if (!sighting.known) this.onDidChangeEmitter.fire();
    return sighting.known;
  }

  /** Many sightings in one transaction (a bulk intake); returns how many were new cases. */
  recordSightings(seen: readonly SeenImage[]): number {
    const sightings = this.db.transaction(() => seen.map((one) => this.write(one)))();
    for (const sighting of sightings) this.indexSighting(sighting);
    const added = sightings.filter((sighting) => !sighting.known).length;
    if (added > 0) this.onDidChangeEmitter.fire();
    return added;
  }

  get(hash: string): HardCase | null {
    const row = this.sql.get.get(hash) as Row | undefined;
    return row ? this.fromRow(row) : null;
  }

  /** The stored embedding of a case, with its model; null when none was stored. */
  embeddingOf(hash: string): Embedding | null {
    const row = this.sql.embeddingOf.get(hash) as { embedding: Buffer | null; model: string | null } | undefined;
    return row?.embedding && row.model ? { model: row.model, vector: decodeEmbedding(row.embedding) } : null;
  }

  /** Least sure first (then newest): the order labelling pays most in. */
  list(limit: number, offset = 0, label?: HardCaseLabel): HardCase[] {
    const rows = (
      label ? this.sql.listLabelled.all({ label, limit, offset }) : this.sql.listAll.all({ limit, offset })
    ) as Row[];
    return rows.map((row) => this.fromRow(row));
  }

  /**
   * The ids (rowids) of the cases a filter matches, in a gallery order. SQL filters and sorts;
   * only 'uniqueness' is sorted here, from the index (brought up to date first).
   */
  async rank(filter: HardCaseFilter, sort: HardCaseSort): Promise<number[]> {
    const { where, params } = whereOf(filter, true);
    const ids = this.statement(`SELECT rowid FROM hard_cases ${where} ORDER BY ${ORDER_BY[sort]}`)
      .pluck()
      .all(params) as number[];
    if (sort !== 'uniqueness') return ids;
    await this.settleUniqueness();
    const index = this.index;
    if (!index) return ids;
    // Most unique first; cases with none (labelled, no embedding) after, newest first throughout.
    const keys = new Float64Array(ids.length);
    for (let i = 0; i < ids.length; i++) keys[i] = index.uniqueness(ids[i]!) ?? -1;
    const order = Array.from(ids.keys()).sort((a, b) => keys[b]! - keys[a]! || a - b);
    return order.map((i) => ids[i]!);
  }

  /** The cases with these ids, in this order, as they are now. */
  byIds(ids: readonly number[]): HardCase[] {
    const rows = new Map((this.sql.byIds.all(JSON.stringify(ids)) as Row[]).map((row) => [row.id, row] as const));
    return ids.flatMap((id) => {
      const row = rows.get(id);
      return row ? [this.fromRow(row)] : [];
    });
  }

  /** The confidence histogram, the cases with no confidence, and the validators, for a filter's cases. */
  facets(filter: HardCaseFilter): HardCaseFacets {
    const { where, params } = whereOf(filter, false);
    const and = where ? `${where} AND` : 'WHERE';
    // Bin i holds [0.5 + i·w, 0.5 + (i+1)·w), the last one closed; the nudge keeps an edge such as
    // 0.6 (0.0999… × 40 in floating point) in the bin it starts.
    const perUnit = CONFIDENCE_BINS / 0.5;
    const bins = this.statement(
      `SELECT MAX(0, MIN(${CONFIDENCE_BINS - 1}, CAST((confidence - 0.5) * ${perUnit} + 1e-9 AS INTEGER))) AS bin,
         COUNT(*) AS n FROM hard_cases ${and} confidence IS NOT NULL GROUP BY bin`,
    ).all(params) as { bin: number; n: number }[];
    const confidence = new Array<number>(CONFIDENCE_BINS).fill(0);
    for (const { bin, n } of bins) confidence[bin] = n;
    const noConfidence = this.statement(`SELECT COUNT(*) FROM hard_cases ${and} confidence IS NULL`)
      .pluck()
      .get(params) as number;
    const validators = this.statement(
      `SELECT validator AS hotkey, COUNT(*) AS count FROM hard_cases ${and} validator IS NOT NULL
       GROUP BY validator ORDER BY count DESC, validator ASC`,
    ).all(params) as { hotkey: string; count: number }[];
    return { confidence, noConfidence, validators };
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
    return (
      this.committed(
        this.db.transaction(() => {
          const before: Record<string, HardCaseLabel> = {};
          for (const hash of new Set(hashes)) {
            const row = this.sql.known.get(hash) as { label: HardCaseLabel } | undefined;
            if (row) before[hash] = row.label;
          }
          const known = Object.keys(before);
          if (known.length === 0) return null;
          this.sql.forgetRedo.run();
          this.sql.addEvent.run(new Date().toISOString(), by, label, JSON.stringify(before));
          return this.apply(Object.fromEntries(known.map((hash) => [hash, label])), by);
        })(),
      ) ?? { hashes: [], labels: {} }
    );
  }

  /** Takes back the latest labelling step; null when there is none. */
  undo(): LabelChange | null {
    return this.step('undo');
  }

  /** Does again the step undone last; null when there is none. */
  redo(): LabelChange | null {
    return this.step('redo');
  }

  /** The case's thumbnail (made now from its image when it has none yet); null when it has no decodable image. */
  async thumbnail(hash: string): Promise<Buffer | null> {
    const path = thumbnailPath(this.thumbnailsRoot, hash);
    try {
      return await readFile(path);
    } catch {
      if (!(await this.makeThumbnail(hash))) return null;
      return readFile(path).catch(() => null);
    }
  }

  /** Brings the uniqueness of every case up to date, a slice at a time so the event loop keeps running. */
  settleUniqueness(): Promise<void> {
    // `finally` runs as a later microtask, after `settling` is assigned: a settle with nothing to
    // do must not leave a finished promise behind that every later call would return at once.
    this.settling ??= this.settleInSlices().finally(() => {
      this.settling = null;
    });
    return this.settling;
  }

  private async settleInSlices(): Promise<void> {
    while (!this.disposed && this.index && !this.index.settle(performance.now() + SETTLE_SLICE_MS))
      await new Promise((resolve) => setImmediate(resolve));
    if (!this.disposed && Date.now() - this.lastSnapshot > SNAPSHOT_EVERY_MS) this.saveSnapshot();
  }

  /** Stops work in the background (settling the index) and lets go of listeners: before the database closes. */
  dispose(): void {
    this.disposed = true;
    this.saveSnapshot();
    this.onDidChangeEmitter.dispose();
  }

  /**
   * Keeps the settled distances for the next start; only a fully settled index is saved (never
   * settling at close, which would hold the shutdown up), and a failure to write costs only time.
   */
  private saveSnapshot(): void {
    if (!this.snapshotStale) return;
    const snapshot = this.index?.snapshot();
    if (!snapshot) return;
    try {
      writeSnapshotFile(this.snapshotPath, snapshot);
      this.snapshotStale = false;
      this.lastSnapshot = Date.now();
    } catch {
      // A full disk or a read-only folder: the next start compares in full, as without one.
    }
  }

  /** Undo restores each case's label from before the step; redo puts the step's label back. */
  private step(direction: 'undo' | 'redo'): LabelChange | null {
    return this.committed(
      this.db.transaction(() => {
        const statement = direction === 'undo' ? this.sql.latestDone : this.sql.earliestUndone;
        const event = statement.get() as EventRow | undefined;
        if (!event) return null;
        this.sql.markUndone.run(direction === 'undo' ? 1 : 0, event.id);
        const before = JSON.parse(event.before) as Record<string, HardCaseLabel>;
        const labels =
          direction === 'undo' ? before : Object.fromEntries(Object.keys(before).map((hash) => [hash, event.label]));
        return this.apply(labels, event.by);
      })(),
    );
  }

  /** Writes the labels (inside a step's transaction); the index hears of them once it committed. */
  private apply(labels: Record<string, HardCaseLabel>, by: string): Applied {
    const time = new Date().toISOString();
    const ids = new Map<number, boolean>();
    for (const [hash, label] of Object.entries(labels)) {
      const row = this.sql.setLabel.get({ hash, label, by, time }) as { id: number } | undefined;
      if (row) ids.set(row.id, label !== 'unlabelled');
    }
    return { change: { hashes: Object.keys(labels), labels }, ids };
  }

  private committed(applied: Applied | null): LabelChange | null {
    if (!applied) return null;
    for (const [id, labelled] of applied.ids) this.index?.setLabelled(id, labelled);
    this.snapshotStale = true;
    this.onDidChangeEmitter.fire();
    return applied.change;
  }

  /**
   * Builds the uniqueness index from the stored embeddings. Only one embedding space is compared:
   * the model (and dimension) of the most recently seen case's embedding; embeddings of other
   * models are ignored, since distances between two models' vectors mean nothing.
   */
  private loadIndex(space?: { model: string; dimension: number }): void {
    space ??= this.sql.newestSpace.get() as { model: string; dimension: number } | undefined;
    if (!space) {
      this.index = null;
      return;
    }
    const index = new UniquenessIndex(space.model, space.dimension);
    const rows = this.sql.inSpace.iterate(space.model, space.dimension * 4) as Iterable<{
      id: number;
      embedding: Buffer;
      labelled: number;
    }>;
    const vector = new Float32Array(space.dimension);
    for (const row of rows) index.add(row.id, decodeEmbeddingInto(row.embedding, vector), row.labelled === 1);
    const snapshot = readSnapshotFile(this.snapshotPath);
    if (snapshot) index.restore(snapshot);
    this.index = index;
    this.snapshotStale = true;
  }

  /** Writes a sighting: a new row, or one more time seen (and its newest embedding). */
  private write(seen: SeenImage): Sighting {
    const confidence = seen.prediction === null ? null : Math.max(seen.prediction, 1 - seen.prediction);
    const disagreement =
      seen.firstStage === null || seen.secondStage === null ? null : Math.abs(seen.firstStage - seen.secondStage);
    const embedding = seen.embedding ?? null;
    const params = {
      ...seen,
      embedding: embedding ? encodeEmbedding(embedding.vector) : null,
      embeddingModel: embedding?.model ?? null,
    };
    const known = this.sql.known.get(seen.hash) as { id: number; label: HardCaseLabel } | undefined;
    if (known) {
      this.sql.seenAgain.run(params);
      return { id: known.id, known: true, labelled: known.label !== 'unlabelled', embedding };
    }
    const id = Number(this.sql.insert.run({ ...params, confidence, disagreement }).lastInsertRowid);
    return { id, known: false, labelled: false, embedding };
  }

  /** The index hears of a sighting's embedding once it is written (committed, for a batch). */
  private indexSighting({ id, labelled, embedding }: Sighting): void {
    if (embedding) this.indexEmbedding(id, embedding, labelled);
  }

  private indexEmbedding(id: number, embedding: Embedding, labelled: boolean): void {
    const index = this.index;
    if (index && index.model === embedding.model && index.dimension === embedding.vector.length) {
      index.add(id, embedding.vector, labelled);
      this.snapshotStale = true;
    } else {
      // A new model's embedding: its space is the one compared from now on.
      this.loadIndex({ model: embedding.model, dimension: embedding.vector.length });
    }
  }

  /** Makes the case's thumbnail from its image (read from disk unless given); false when it cannot be. */
  private makeThumbnail(hash: string, image?: Buffer): Promise<boolean> {
    let making = this.making.get(hash);
    if (!making) {
      making = (async () => {
        try {
          await storeThumbnail(this.thumbnailsRoot, hash, image ?? (await readFile(this.imagePath(hash))));
          return true;
        } catch {
          // No image on disk, or one that does not decode: no thumbnail, and nothing else lost.
          return false;
        }
      })().finally(() => this.making.delete(hash));
      this.making.set(hash, making);
    }
    return making;
  }

  private statement(text: string): Statement {
    let statement = this.compiled.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.compiled.set(text, statement);
    }
    return statement;
  }

  private fromRow(row: Row): HardCase {
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
      disagreement: row.disagreement,
      uniqueness: this.index?.uniqueness(row.id) ?? null,
      testnetLabel: row.testnet_label,
      label: row.label,
      labelledBy: row.labelled_by,
      labelledAt: row.labelled_at,
    };
  }
}
