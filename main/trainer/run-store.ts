/**
 * Training runs in the console's database: each run's row (state, detail, reason, params, dataset
 * summary, progress, GPU, model), its metrics points keyed by their line in the box's
 * RUN/metrics.jsonl, and a bounded log. Every write is a transaction that has reached the disk
 * (WAL, full sync) when the method returns, so what the Training page shows survives a crash.
 */
import { Emitter } from '../base/emitter.js';
import type { Db } from '../store/database.js';
import {
  EpochPointSchema,
  RunParamsSchema,
  StepPointSchema,
  TRAINING_LOG_LINES,
  TrainingRunSchema,
  type EpochPoint,
  type RunMetrics,
  type StepPoint,
  type TrainingRun,
} from '../../shared/domain/training.js';

/** What the console keeps about a run besides what the contract shows. */
export interface RunRecord extends TrainingRun {
  /** Lines of RUN/metrics.jsonl already taken in: a reattaching follower starts after them. */
  metricsLines: number;
  /** Lines of the trainer's log already taken in. */
  logLines: number;
  /** Why a stop was asked of the trainer (cancel, the window's end); null when none was. */
  stopReason: string | null;
}

/** What a run is when it is queued: the rest comes as it goes. */
export type NewRun = Omit<
  TrainingRun,
  'startedAt' | 'endedAt' | 'dataset' | 'progress' | 'gpu' | 'modelId' | 'imported'
>;

/** The fields a transition may change. */
export type RunPatch = Partial<
  Pick<
    RunRecord,
    | 'state'
    | 'detail'
    | 'reason'
    | 'startedAt'
    | 'endedAt'
    | 'dataset'
    | 'progress'
    | 'gpu'
    | 'modelId'
    | 'imported'
    | 'stopReason'
  >
>;

/** A metrics line taken in: its line number in RUN/metrics.jsonl and what it holds. */
export type MetricsPoint =
  | { line: number; kind: 'step'; point: StepPoint }
  | { line: number; kind: 'epoch'; point: EpochPoint }
  | { line: number; kind: 'other' };

export type LogSource = 'trainer' | 'console';

const COLUMNS: Record<keyof RunPatch, string> = {
  state: 'state',
  detail: 'detail',
  reason: 'reason',
  startedAt: 'started_at',
  endedAt: 'ended_at',
  dataset: 'dataset',
  progress: 'progress',
  gpu: 'gpu',
  modelId: 'model_id',
  imported: 'imported',
  stopReason: 'stop_reason',
};
const JSON_COLUMNS = new Set<keyof RunPatch>(['dataset', 'progress', 'gpu']);

interface Row {
  id: string;
  kind: string;
  host_id: string;
  host_label: string;
  state: string;
  detail: string;
  reason: string | null;
  scheduled: number;
  params: string;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  remote_dir: string;
  dataset: string | null;
  progress: string | null;
  gpu: string | null;
  model_id: string | null;
  imported: number | null;
  metrics_lines: number;
  log_lines: number;
  stop_reason: string | null;
}

export class RunStore {
  private readonly onDidChangeEmitter = new Emitter<string>();
  /** Fires a run's id after a change to it has been written. */
  readonly onDidChange = this.onDidChangeEmitter.event;
  private readonly onDidAddPointsEmitter = new Emitter<{ runId: string; steps: StepPoint[]; epochs: EpochPoint[] }>();
  /** Fires new metrics points after they have been written. */
  readonly onDidAddPoints = this.onDidAddPointsEmitter.event;
  private readonly sql;

  constructor(private readonly db: Db) {
    this.sql = {
      insert: db.prepare(
        `INSERT INTO training_runs (id, kind, host_id, host_label, state, detail, reason, scheduled, params,
           created_at, remote_dir)
         VALUES (@id, @kind, @hostId, @hostLabel, @state, @detail, @reason, @scheduled, @params, @createdAt, @remoteDir)`,
      ),
      get: db.prepare('SELECT * FROM training_runs WHERE id = ?'),
      all: db.prepare('SELECT * FROM training_runs ORDER BY created_at DESC, rowid DESC'),
      unfinished: db.prepare(
        "SELECT * FROM training_runs WHERE state IN ('queued', 'syncing', 'running') ORDER BY created_at",
      ),
      point: db.prepare('INSERT OR IGNORE INTO training_points (run_id, line, kind, data) VALUES (?, ?, ?, ?)'),
      metricsLines: db.prepare('UPDATE training_runs SET metrics_lines = MAX(metrics_lines, ?) WHERE id = ?'),
      points: db.prepare('SELECT kind, data FROM training_points WHERE run_id = ? ORDER BY line'),
      log: db.prepare('INSERT INTO training_log (run_id, source, line) VALUES (?, ?, ?)'),
      logLines: db.prepare('UPDATE training_runs SET log_lines = log_lines + ? WHERE id = ?'),
      trimLog: db.prepare(
        `DELETE FROM training_log WHERE run_id = @runId AND id <= (
           SELECT id FROM training_log WHERE run_id = @runId ORDER BY id DESC LIMIT 1 OFFSET @keep)`,
      ),
      tail: db.prepare('SELECT source, line FROM training_log WHERE run_id = ? ORDER BY id DESC LIMIT ?'),
      tailOf: db.prepare('SELECT line FROM training_log WHERE run_id = ? AND source = ? ORDER BY id DESC LIMIT ?'),
    };
  }

  create(run: NewRun) {
    this.sql.insert.run({
      ...run,
      scheduled: run.scheduled ? 1 : 0,
      params: JSON.stringify(RunParamsSchema.parse(run.params)),
    });
    this.onDidChangeEmitter.fire(run.id);
    return this.require(run.id);
  }

  get(id: string): RunRecord | null {
    const row = this.sql.get.get(id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  require(id: string): RunRecord {
    const run = this.get(id);
    if (!run) throw new Error(`No training run "${id}".`);
    return run;
  }

  /** Newest first. */
  list(): RunRecord[] {
    return (this.sql.all.all() as Row[]).map(fromRow);
  }

  /** Runs that were queued, syncing or running: what a console starting up has to pick up again. */
  unfinished(): RunRecord[] {
    return (this.sql.unfinished.all() as Row[]).map(fromRow);
  }

  update(id: string, patch: RunPatch): RunRecord {
    if (this.write(id, patch)) this.onDidChangeEmitter.fire(id);
    return this.require(id);
  }

  /**
   * Takes in metrics lines together with the run's new line count and progress, in one transaction:
   * a follower that drops mid-batch resumes after the last line written, never before or after it.
   */
  addPoints(id: string, points: readonly MetricsPoint[], patch: RunPatch = {}): void {
    if (points.length === 0 && Object.keys(patch).length === 0) return;
    this.db.transaction(() => {
      for (const entry of points) {
        if (entry.kind === 'other') continue;
        this.sql.point.run(id, entry.line, entry.kind, JSON.stringify(entry.point));
      }
      const last = points.at(-1);
      if (last) this.sql.metricsLines.run(last.line, id);
      this.write(id, patch);
    })();
    const steps = points.flatMap((entry) => (entry.kind === 'step' ? [entry.point] : []));
    const epochs = points.flatMap((entry) => (entry.kind === 'epoch' ? [entry.point] : []));
    if (steps.length + epochs.length > 0) this.onDidAddPointsEmitter.fire({ runId: id, steps, epochs });
    this.onDidChangeEmitter.fire(id);
  }

  metrics(id: string): RunMetrics {
    const rows = this.sql.points.all(id) as { kind: 'step' | 'epoch'; data: string }[];
    const steps: StepPoint[] = [];
    const epochs: EpochPoint[] = [];
    for (const row of rows) {
      if (row.kind === 'step') steps.push(StepPointSchema.parse(JSON.parse(row.data)));
      else epochs.push(EpochPointSchema.parse(JSON.parse(row.data)));
    }
    return { runId: id, steps, epochs };
  }

  /**
   * Appends log lines, keeping the newest TRAINING_LOG_LINES of the run. Lines from the trainer's
   * own log also advance the count a reattaching follower starts after.
   */
  appendLog(id: string, source: LogSource, lines: readonly string[]): void {
    if (lines.length === 0) return;
    this.db.transaction(() => {
      for (const line of lines) this.sql.log.run(id, source, line);
      if (source === 'trainer') this.sql.logLines.run(lines.length, id);
      this.sql.trimLog.run({ runId: id, keep: TRAINING_LOG_LINES });
    })();
  }

  /** The last lines of the run's log, oldest first; the console's own steps marked with "»". */
  log(id: string, lines: number): string[] {
    const rows = this.sql.tail.all(id, lines) as { source: LogSource; line: string }[];
    return rows.reverse().map((row) => (row.source === 'console' ? `» ${row.line}` : row.line));
  }

  /** The trainer's last log lines (its stderr), oldest first: what a crash reason quotes. */
  trainerTail(id: string, lines: number): string[] {
    return (this.sql.tailOf.all(id, 'trainer', lines) as { line: string }[]).map((row) => row.line).reverse();
  }

  /** Writes a patch without telling anyone (inside a transaction); whether anything changed. */
  private write(id: string, patch: RunPatch): boolean {
    const keys = (Object.keys(patch) as (keyof RunPatch)[]).filter((key) => patch[key] !== undefined);
    if (keys.length === 0) return false;
    const values = keys.map((key) => (JSON_COLUMNS.has(key) ? JSON.stringify(patch[key]) : patch[key]));
    this.db
      .prepare(`UPDATE training_runs SET ${keys.map((key) => `${COLUMNS[key]} = ?`).join(', ')} WHERE id = ?`)
      .run(...values, id);
    return true;
  }

  dispose(): void {
    this.onDidChangeEmitter.dispose();
    this.onDidAddPointsEmitter.dispose();
  }
}

function fromRow(row: Row): RunRecord {
  const parsed = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));
  const run = TrainingRunSchema.parse({
    id: row.id,
    kind: row.kind,
    hostId: row.host_id,
    hostLabel: row.host_label,
    state: row.state,
    detail: row.detail,
    reason: row.reason,
    scheduled: row.scheduled === 1,
    params: JSON.parse(row.params) as unknown,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    remoteDir: row.remote_dir,
    dataset: parsed(row.dataset),
    progress: parsed(row.progress),
    gpu: parsed(row.gpu),
    modelId: row.model_id,
    imported: row.imported,
  });
  return { ...run, metricsLines: row.metrics_lines, logLines: row.log_lines, stopReason: row.stop_reason };
}

/** A run as the contract shows it (without the follower's bookkeeping). */
export function publicRun(run: RunRecord): TrainingRun {
  const { metricsLines, logLines, stopReason, ...shown } = run;
  return shown;
}
