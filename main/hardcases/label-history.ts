/**
 * Labelling as a history of steps: every labelling is an event in SQLite with the labels it
 * replaced, so undo and redo work across a restart. Each step, undo or redo is one transaction.
 */
import type { HardCaseLabel } from '../../shared/domain/hard-case.js';
import type { Db } from '../store/database.js';
import type { HardCaseRepository } from './hard-case-repository.js';

/** What a step, an undo or a redo changed, for the gallery to show. */
export interface LabelChange {
  hashes: string[];
  labels: Record<string, HardCaseLabel>;
}

/** A committed change, with the rowids labelled, each with whether it now has a label. */
export interface AppliedLabels {
  change: LabelChange;
  ids: Map<number, boolean>;
}

interface EventRow {
  id: number;
  label: HardCaseLabel;
  before: string;
  by: string;
}

function prepareStatements(db: Db) {
  return {
    forgetRedo: db.prepare('DELETE FROM label_events WHERE undone = 1'),
    addEvent: db.prepare('INSERT INTO label_events (time, by, label, before) VALUES (?, ?, ?, ?)'),
    latestDone: db.prepare('SELECT id, label, before, by FROM label_events WHERE undone = 0 ORDER BY id DESC LIMIT 1'),
    earliestUndone: db.prepare(
      'SELECT id, label, before, by FROM label_events WHERE undone = 1 ORDER BY id ASC LIMIT 1',
    ),
    markUndone: db.prepare('UPDATE label_events SET undone = ? WHERE id = ?'),
  };
}

export class LabelHistory {
  private readonly sql: ReturnType<typeof prepareStatements>;

  constructor(
    private readonly db: Db,
    private readonly cases: HardCaseRepository,
  ) {
    this.sql = prepareStatements(db);
  }

  /**
   * Labels cases, as one undoable step; durable when it returns; null when none of the cases is
   * known. A new step clears what could be redone, as every editor's history does.
   */
  label(hashes: readonly string[], label: HardCaseLabel, by: string): AppliedLabels | null {
    return this.db.transaction(() => {
      const before: Record<string, HardCaseLabel> = {};
      for (const hash of new Set(hashes)) {
        const current = this.cases.labelOf(hash);
        if (current) before[hash] = current;
      }
      const known = Object.keys(before);
      if (known.length === 0) return null;
      this.sql.forgetRedo.run();
      this.sql.addEvent.run(new Date().toISOString(), by, label, JSON.stringify(before));
      return this.apply(Object.fromEntries(known.map((hash) => [hash, label])), by);
    })();
  }

  /** Takes back the latest step; null when there is none. */
  undo(): AppliedLabels | null {
    return this.step('undo');
  }

  /** Does again the step undone last; null when there is none. */
  redo(): AppliedLabels | null {
    return this.step('redo');
  }

  /** Undo restores each case's label from before the step; redo puts the step's label back. */
  private step(direction: 'undo' | 'redo'): AppliedLabels | null {
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

  /** Writes the labels, inside a step's transaction. */
  private apply(labels: Record<string, HardCaseLabel>, by: string): AppliedLabels {
    const time = new Date().toISOString();
    const ids = new Map<number, boolean>();
    for (const [hash, label] of Object.entries(labels)) {
      const id = this.cases.setLabel(hash, label, by, time);
      if (id !== undefined) ids.set(id, label !== 'unlabelled');
    }
    return { change: { hashes: Object.keys(labels), labels }, ids };
  }
}
