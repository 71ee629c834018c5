/**
 * How unlike anything labelled each case is: an in-memory index over the first stage's stored
 * embeddings, settled a slice at a time in the background, whose settled distances are kept on
 * disk between runs. Only one embedding space is compared: the model (and dimension) of the most
 * recently seen case's embedding, since distances between two models' vectors mean nothing.
 */
import { decodeEmbeddingInto, type Embedding } from './embedding.js';
import type { EmbeddingSpace, HardCaseRepository, Sighting } from './hard-case-repository.js';
import { UniquenessIndex } from './uniqueness-index.js';
import { readSnapshotFile, writeSnapshotFile } from './uniqueness-snapshot-file.js';

/** Slices of work on the index, between which the event loop runs (the axon shares it). */
const SETTLE_SLICE_MS = 10;

/** How often, at most, settled distances are saved while the console runs (and once more at close). */
const SNAPSHOT_EVERY_MS = 60_000;

export class HardCaseUniqueness {
  private index: UniquenessIndex | null = null;
  private settling: Promise<void> | null = null;
  private disposed = false;
  private lastSnapshot = 0;
  /** Distances settled since the snapshot on disk was written. */
  private snapshotStale = false;

  constructor(
    private readonly cases: HardCaseRepository,
    /** Where the settled distances are kept between runs. */
    private readonly snapshotPath: string,
  ) {
    this.load();
  }

  /** A case's uniqueness (by rowid) as settled so far; null when it has none (labelled, no embedding). */
  of(id: number): number | null {
    return this.index?.uniqueness(id) ?? null;
  }

  /** The index hears of a sighting's embedding once it is written (committed, for a batch). */
  add({ id, labelled, embedding }: Sighting): void {
    if (embedding) this.addEmbedding(id, embedding, labelled);
  }

  /** The index hears of labels once they are committed: labelled cases are what others are measured against. */
  setLabelled(ids: ReadonlyMap<number, boolean>): void {
    for (const [id, labelled] of ids) this.index?.setLabelled(id, labelled);
    this.snapshotStale = true;
  }

  /** The ids, most unique first, then those with none; ties keep the order given (newest first). */
  async order(ids: readonly number[]): Promise<number[]> {
    await this.settle();
    const index = this.index;
    if (!index) return [...ids];
    const keys = new Float64Array(ids.length);
    for (let i = 0; i < ids.length; i++) keys[i] = index.uniqueness(ids[i]!) ?? -1;
    const order = Array.from(ids.keys()).sort((a, b) => keys[b]! - keys[a]! || a - b);
    return order.map((i) => ids[i]!);
  }

  /** Brings the uniqueness of every case up to date, a slice at a time so the event loop keeps running. */
  settle(): Promise<void> {
    // `finally` runs as a later microtask, after `settling` is assigned: a settle with nothing to
    // do must not leave a finished promise behind that every later call would return at once.
    this.settling ??= this.settleInSlices().finally(() => {
      this.settling = null;
    });
    return this.settling;
  }

  /** Stops settling in the background and keeps what was settled: before the database closes. */
  dispose(): void {
    this.disposed = true;
    this.saveSnapshot();
  }

  private async settleInSlices(): Promise<void> {
    while (!this.disposed && this.index && !this.index.settle(performance.now() + SETTLE_SLICE_MS))
      await new Promise((resolve) => setImmediate(resolve));
    if (!this.disposed && Date.now() - this.lastSnapshot > SNAPSHOT_EVERY_MS) this.saveSnapshot();
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

  /** Builds the index from the stored embeddings of a space (by default the newest one's). */
  private load(space?: EmbeddingSpace): void {
    space ??= this.cases.newestSpace();
    if (!space) {
      this.index = null;
      return;
    }
    const index = new UniquenessIndex(space.model, space.dimension);
    const vector = new Float32Array(space.dimension);
    for (const row of this.cases.embeddingsIn(space))
      index.add(row.id, decodeEmbeddingInto(row.embedding, vector), row.labelled === 1);
    const snapshot = readSnapshotFile(this.snapshotPath);
    if (snapshot) index.restore(snapshot);
    this.index = index;
    this.snapshotStale = true;
  }

  private addEmbedding(id: number, embedding: Embedding, labelled: boolean): void {
    const index = this.index;
    if (index && index.model === embedding.model && index.dimension === embedding.vector.length) {
      index.add(id, embedding.vector, labelled);
      this.snapshotStale = true;
    } else {
      // A new model's embedding: its space is the one compared from now on.
      this.load({ model: embedding.model, dimension: embedding.vector.length });
    }
  }
}
