/**
 * The hard cases' rows in SQLite (WAL, full sync: a write that returned is on disk): sightings
 * written, cases read one at a time, a page at a time or ranked by a filter, the gallery's facets
 * and counters, labels set, and the stored embeddings the uniqueness index is built from. The
 * schema is main/store/migrations/hard-cases.ts.
 */
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
import type { Db } from '../store/database.js';
import { decodeEmbedding, encodeEmbedding, type Embedding } from './embedding.js';

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

/** A sighting as written: the case's rowid, whether it was known and labelled, and its embedding. */
export interface Sighting {
  id: number;
  known: boolean;
  labelled: boolean;
  embedding: Embedding | null;
}

/** The model and vector length whose embeddings are compared with each other. */
export interface EmbeddingSpace {
  model: string;
  dimension: number;
}

/** A stored embedding in a space, as the uniqueness index is built from it. */
export interface StoredEmbedding {
  id: number;
  embedding: Buffer;
  labelled: number;
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

/**
 * The orders SQL gives, each the order of an index (rowid, an index's last column, breaks ties);
 * 'uniqueness' starts from the newest first and is sorted by the uniqueness index.
 */
const ORDER_BY: Record<HardCaseSort, string> = {
  uncertainty: 'confidence IS NULL, confidence ASC, last_seen DESC, rowid ASC',
  uniqueness: 'last_seen DESC, rowid DESC',
  disagreement: 'disagreement IS NULL, disagreement DESC, last_seen DESC, rowid ASC',
  newest: 'last_seen DESC, rowid DESC',
  oldest: 'last_seen ASC, rowid ASC',
};

/** The statements, compiled once: labelling runs in bursts, one call per card. */
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

export class HardCaseRepository {
  private readonly sql: ReturnType<typeof prepareStatements>;
  /** Statements built from a filter, by their text: a handful of shapes, each compiled once. */
  private readonly compiled = new Map<string, Statement>();

  constructor(
    private readonly db: Db,
    /** A case's uniqueness as the index knows it now (by rowid), read into every case returned. */
    private readonly uniquenessOf: (id: number) => number | null,
  ) {
    this.sql = prepareStatements(db);
  }

  /** Writes a sighting: a new row, or one more time seen (and its newest embedding). */
  write(seen: SeenImage): Sighting {
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

  /** Writes many sightings in one transaction. */
  writeAll(seen: readonly SeenImage[]): Sighting[] {
    return this.db.transaction(() => seen.map((one) => this.write(one)))();
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

  /** The ids (rowids) of the cases a filter matches, in the order SQL gives for a sort. */
  rank(filter: HardCaseFilter, sort: HardCaseSort): number[] {
    const { where, params } = whereOf(filter, true);
    return this.statement(`SELECT rowid FROM hard_cases ${where} ORDER BY ${ORDER_BY[sort]}`)
      .pluck()
      .all(params) as number[];
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

  /** A case's label now; undefined when there is no such case. */
  labelOf(hash: string): HardCaseLabel | undefined {
    return (this.sql.known.get(hash) as { label: HardCaseLabel } | undefined)?.label;
  }

  /** Sets a case's label (who and when, unless it is taken off); returns its rowid, undefined when there is no such case. */
  setLabel(hash: string, label: HardCaseLabel, by: string, time: string): number | undefined {
    return (this.sql.setLabel.get({ hash, label, by, time }) as { id: number } | undefined)?.id;
  }

  /** The space of the most recently seen case's embedding; undefined when no case has one. */
  newestSpace(): EmbeddingSpace | undefined {
    return this.sql.newestSpace.get() as EmbeddingSpace | undefined;
  }

  /** Every stored embedding in a space, in rowid order, read one row at a time. */
  embeddingsIn(space: EmbeddingSpace): Iterable<StoredEmbedding> {
    return this.sql.inSpace.iterate(space.model, space.dimension * 4) as Iterable<StoredEmbedding>;
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
      uniqueness: this.uniquenessOf(row.id),
      testnetLabel: row.testnet_label,
      label: row.label,
      labelledBy: row.labelled_by,
      labelledAt: row.labelled_at,
    };
  }
}
