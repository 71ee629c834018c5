/**
 * How unlike anything labelled each unlabelled hard case is: the cosine distance of its embedding
 * to the nearest labelled case's (1 − dot of the L2-normalised vectors, within [0, 2]), and which
 * case that is. While nothing at all is labelled, the distance is to the nearest other case
 * instead, so an outlier still ranks first.
 *
 * All in memory, rebuilt from the stored embeddings at start, and kept current incrementally:
 * - a case that gets a label joins the reference set and is put on a log; each unlabelled case
 *   folds the log in (one comparison per entry) the next time it is read or a whole-index read
 *   settles everything, so labelling itself stays O(1) per case;
 * - a case that loses its label (an undo) leaves the set: only the cases whose nearest it was,
 *   and the case itself, are compared with the whole set again;
 * - a new case is compared with the whole set when first read.
 *
 * One index holds one embedding space (one model, one dimension); the store decides which.
 * Vectors live back to back in one Float32Array, so 50,000 × 64 floats stay one block of memory.
 */

/**
 * With nothing labelled yet, each case is compared with at most this many others (the first to
 * arrive), so a cold start costs O(n · COLD_REFERENCES), not O(n²): exact up to that many cases,
 * an approximation above it that still puts an outlier first.
 */
export const COLD_REFERENCES = 512;

const NONE = -1;
/** What a case needs (see `workFor`): nothing, or a comparison with every reference. */
const UP_TO_DATE = -2;
const ALL = -1;

/**
 * The settled distances of an index, to start the next run from instead of comparing every case
 * with every labelled one again (at 50,000 cases and 2,500 labels, seconds of work). Valid for the
 * labelled set it was taken with; `restore` works out what changed since.
 */
export interface UniquenessSnapshot {
  model: string;
  dimension: number;
  /** The ids of the labelled cases when it was taken. */
  labelled: Float64Array;
  /** Per unlabelled case: its id, its nearest labelled case's id, and their dot product. */
  cases: Float64Array;
  nearest: Float64Array;
  dots: Float32Array;
}

/** Some cases' vectors back to back, with their slots. */
interface Block {
  slots: Int32Array;
  matrix: Float32Array;
}

export class UniquenessIndex {
  private count = 0;
  private capacity = 0;
  private vectors = new Float32Array(0);
  private ids = new Float64Array(0);
  private readonly slotOf = new Map<number, number>();
  private labelled = new Uint8Array(0);
  /** Whether a slot is one that others are compared with: a labelled case (or, cold, a sample). */
  private isReference = new Uint8Array(0);
  private bestDot = new Float32Array(0);
  private bestSlot = new Int32Array(0);
  /** The log position up to which a slot has been compared; below `logBase`: compare with all. */
  private folded = new Float64Array(0);
  /** Slots that joined the reference set, in order; `logBase` is the position of its first entry. */
  private log: number[] = [];
  private logBase = 0;
  /** Slots that left the reference set since the cases pointing at them were last reset. */
  private removed: number[] = [];
  private labelledCount = 0;
  private referenceCount = 0;
  /** Nothing labelled: the references are the first cases, and uniqueness is to the nearest other. */
  private cold = true;
  private references: Block | null = null;
  private logged: { from: number; generation: number; block: Block } | null = null;
  private generation = 0;
  private passGeneration = 0;
  private cursor = 0;
  private settled = true;

  constructor(
    /** The embedding space: the model's name and the vectors' length. */
    readonly model: string,
    readonly dimension: number,
  ) {
    this.grow(1024);
  }

  get size(): number {
    return this.count;
  }

  has(id: number): boolean {
    return this.slotOf.has(id);
  }

  /** Adds a case. A vector of another length, or with no direction (zero, NaN), is left out: false. */
  add(id: number, vector: ArrayLike<number>, labelled: boolean): boolean {
    if (vector.length !== this.dimension || this.slotOf.has(id)) return false;
    let norm = 0;
    for (let k = 0; k < vector.length; k++) norm += vector[k]! * vector[k]!;
    if (!(norm > 0) || !Number.isFinite(norm)) return false;
    if (this.count === this.capacity) this.grow(this.capacity * 2);
    const slot = this.count++;
    const scale = 1 / Math.sqrt(norm);
    const offset = slot * this.dimension;
    for (let k = 0; k < this.dimension; k++) this.vectors[offset + k] = vector[k]! * scale;
    this.ids[slot] = id;
    this.slotOf.set(id, slot);
    this.labelled[slot] = labelled ? 1 : 0;
    this.isReference[slot] = 0;
    this.bestSlot[slot] = NONE;
    this.bestDot[slot] = -Infinity;
    this.folded[slot] = -1;
    this.changed();
    if (labelled) {
      this.labelledCount++;
      if (this.cold) this.rebase();
      else this.joinReferences(slot);
    } else if (this.cold && this.referenceCount < COLD_REFERENCES) {
      this.joinReferences(slot);
    }
    return true;
  }

  /** A case got a label ('roadwork', 'none', 'skip') or lost it (back to 'unlabelled'). */
  setLabelled(id: number, labelled: boolean): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined || (this.labelled[slot] === 1) === labelled) return;
    this.labelled[slot] = labelled ? 1 : 0;
    this.labelledCount += labelled ? 1 : -1;
    this.changed();
    if (this.cold !== (this.labelledCount === 0)) {
      // The first label, or the last one taken back: every distance means something else now.
      this.rebase();
    } else if (labelled) {
      this.joinReferences(slot);
    } else {
      this.isReference[slot] = 0;
      this.referenceCount--;
      this.references = null;
      this.folded[slot] = -1;
      this.removed.push(slot);
    }
  }

  /** The case's uniqueness: null when it is labelled, unknown here, or there is nothing to compare with. */
  uniqueness(id: number): number | null {
    return this.nearest(id)?.distance ?? null;
  }

  /** The case's distance to the nearest reference case, and that case's id. */
  nearest(id: number): { distance: number; id: number } | null {
    const slot = this.slotOf.get(id);
    if (slot === undefined || this.labelled[slot] === 1) return null;
    this.resetRemoved();
    this.settleSlot(slot);
    const best = this.bestSlot[slot]!;
    if (best === NONE) return null;
    return { distance: Math.min(2, Math.max(0, 1 - this.bestDot[slot]!)), id: this.ids[best]! };
  }

  /**
   * Brings every case up to date, stopping once `deadline` (performance.now()) has passed: true
   * when all is settled. Changes between calls are picked up by the next one.
   */
  settle(deadline = Infinity): boolean {
    this.resetRemoved();
    if (this.settled) return true;
    for (;;) {
      if (this.cursor === 0) this.passGeneration = this.generation;
      // Cases with the same work go two at a time: each reference vector read serves both.
      let held = NONE;
      let heldWork = UP_TO_DATE;
      while (this.cursor < this.count) {
        const slot = this.cursor++;
        const work = this.workFor(slot);
        if (work !== UP_TO_DATE) {
          if (held !== NONE && heldWork === work) {
            this.compare(held, slot, work);
            held = NONE;
          } else {
            if (held !== NONE) this.compare(held, held, heldWork);
            held = slot;
            heldWork = work;
          }
        }
        if ((this.cursor & 63) === 0 && performance.now() > deadline) {
          if (held !== NONE) this.compare(held, held, heldWork);
          return false;
        }
      }
      if (held !== NONE) this.compare(held, held, heldWork);
      this.cursor = 0;
      if (this.passGeneration === this.generation) {
        // Every unlabelled case has folded the whole log in: it can go.
        this.logBase += this.log.length;
        this.log = [];
        this.settled = true;
        return true;
      }
    }
  }

  /** The distances now, when every case is settled and something is labelled; null otherwise. */
  snapshot(): UniquenessSnapshot | null {
    if (this.cold || !this.settle(-Infinity)) return null;
    const labelled: number[] = [];
    const cases: number[] = [];
    const nearest: number[] = [];
    const dots: number[] = [];
    for (let slot = 0; slot < this.count; slot++) {
      if (this.labelled[slot] === 1) labelled.push(this.ids[slot]!);
      else if (this.bestSlot[slot] !== NONE) {
        cases.push(this.ids[slot]!);
        nearest.push(this.ids[this.bestSlot[slot]!]!);
        dots.push(this.bestDot[slot]!);
      }
    }
    return {
      model: this.model,
      dimension: this.dimension,
      labelled: Float64Array.from(labelled),
      cases: Float64Array.from(cases),
      nearest: Float64Array.from(nearest),
      dots: Float32Array.from(dots),
    };
  }

  /**
   * Starts from a snapshot's distances: a case whose nearest labelled case is still labelled keeps
   * it and is compared only with the cases labelled since; the rest (new cases, cases whose
   * nearest lost its label) are compared with every labelled case, as without a snapshot. Call
   * after adding the cases. Returns how many cases it spared a full comparison.
   */
  restore(snapshot: UniquenessSnapshot): number {
    if (this.cold || snapshot.model !== this.model || snapshot.dimension !== this.dimension) return 0;
    const before = new Set(snapshot.labelled);
    // A fresh log holding only what was labelled since the snapshot.
    this.logBase += this.log.length;
    this.log = [];
    this.removed = [];
    for (let slot = 0; slot < this.count; slot++) {
      this.folded[slot] = -1;
      this.bestSlot[slot] = NONE;
      if (this.isReference[slot] === 1 && !before.has(this.ids[slot]!)) this.log.push(slot);
    }
    let restored = 0;
    for (let i = 0; i < snapshot.cases.length; i++) {
      const slot = this.slotOf.get(snapshot.cases[i]!);
      const best = this.slotOf.get(snapshot.nearest[i]!);
      if (slot === undefined || best === undefined || this.labelled[slot] === 1) continue;
      if (this.isReference[best] !== 1 || !before.has(snapshot.nearest[i]!)) continue;
      this.bestSlot[slot] = best;
      this.bestDot[slot] = snapshot.dots[i]!;
      this.folded[slot] = this.logBase;
      restored++;
    }
    this.references = null;
    this.logged = null;
    this.cursor = 0;
    this.changed();
    return restored;
  }

  private changed(): void {
    this.generation++;
    this.settled = false;
  }

  private joinReferences(slot: number): void {
    this.isReference[slot] = 1;
    this.referenceCount++;
    this.references = null;
    this.log.push(slot);
  }

  /** Chooses the reference set afresh (labelled cases, or cold the first ones) and forgets all distances. */
  private rebase(): void {
    this.cold = this.labelledCount === 0;
    this.referenceCount = 0;
    for (let slot = 0; slot < this.count; slot++) {
      const reference = this.cold ? this.referenceCount < COLD_REFERENCES : this.labelled[slot] === 1;
      this.isReference[slot] = reference ? 1 : 0;
      if (reference) this.referenceCount++;
      this.folded[slot] = -1;
      this.bestSlot[slot] = NONE;
    }
    this.logBase += this.log.length;
    this.log = [];
    this.removed = [];
    this.references = null;
  }

  /** Cases whose nearest reference left the set are compared with the whole set again. */
  private resetRemoved(): void {
    if (this.removed.length === 0) return;
    const gone = new Uint8Array(this.count);
    for (const slot of this.removed) gone[slot] = 1;
    this.removed = [];
    for (let slot = 0; slot < this.count; slot++) {
      const best = this.bestSlot[slot]!;
      if (best !== NONE && gone[best] === 1) this.folded[slot] = -1;
    }
  }

  /**
   * What a case needs: nothing, a comparison with every reference (`ALL`), or one with the
   * references logged from a position on (the position). Comparing with all is chosen when it is
   * the shorter list.
   */
  private workFor(slot: number): number {
    if (this.labelled[slot] === 1) return UP_TO_DATE;
    const from = this.folded[slot]!;
    const end = this.logBase + this.log.length;
    if (from === end) return UP_TO_DATE;
    return from < this.logBase || end - from > this.referenceCount ? ALL : from;
  }

  private settleSlot(slot: number): void {
    const work = this.workFor(slot);
    if (work !== UP_TO_DATE) this.compare(slot, slot, work);
  }

  /**
   * Brings two cases with the same work up to date at once (`s` twice for one), four references
   * at a time against one copy of their vectors: the hot loop of a rebuild and of a settle.
   */
  private compare(s: number, t: number, work: number): void {
    const fresh = work === ALL;
    const { slots, matrix } = fresh ? this.referenceMatrix() : this.logMatrix(work);
    const d = this.dimension;
    const v = this.vectors;
    const os = s * d;
    const ot = t * d;
    const n = slots.length;
    let bestS = fresh ? -Infinity : this.bestDot[s]!;
    let bestSAt = fresh ? NONE : this.bestSlot[s]!;
    let bestT = fresh ? -Infinity : this.bestDot[t]!;
    let bestTAt = fresh ? NONE : this.bestSlot[t]!;
    let r = 0;
    for (; r + 4 <= n; r += 4) {
      const p0 = r * d;
      const p1 = p0 + d;
      const p2 = p1 + d;
      const p3 = p2 + d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      for (let k = 0; k < d; k++) {
        const x = v[os + k]!;
        const y = v[ot + k]!;
        const m0 = matrix[p0 + k]!;
        const m1 = matrix[p1 + k]!;
        const m2 = matrix[p2 + k]!;
        const m3 = matrix[p3 + k]!;
        s0 += x * m0;
        s1 += x * m1;
        s2 += x * m2;
        s3 += x * m3;
        t0 += y * m0;
        t1 += y * m1;
        t2 += y * m2;
        t3 += y * m3;
      }
      // A case is never its own nearest (cold, the references are cases like any other).
      const q0 = slots[r]!;
      const q1 = slots[r + 1]!;
      const q2 = slots[r + 2]!;
      const q3 = slots[r + 3]!;
      if (s0 > bestS && q0 !== s) [bestS, bestSAt] = [s0, q0];
      if (s1 > bestS && q1 !== s) [bestS, bestSAt] = [s1, q1];
      if (s2 > bestS && q2 !== s) [bestS, bestSAt] = [s2, q2];
      if (s3 > bestS && q3 !== s) [bestS, bestSAt] = [s3, q3];
      if (t0 > bestT && q0 !== t) [bestT, bestTAt] = [t0, q0];
      if (t1 > bestT && q1 !== t) [bestT, bestTAt] = [t1, q1];
      if (t2 > bestT && q2 !== t) [bestT, bestTAt] = [t2, q2];
      if (t3 > bestT && q3 !== t) [bestT, bestTAt] = [t3, q3];
    }
    for (; r < n; r++) {
      const q = slots[r]!;
      const p = r * d;
      let dotS = 0;
      let dotT = 0;
      for (let k = 0; k < d; k++) {
        dotS += v[os + k]! * matrix[p + k]!;
        dotT += v[ot + k]! * matrix[p + k]!;
      }
      if (dotS > bestS && q !== s) [bestS, bestSAt] = [dotS, q];
      if (dotT > bestT && q !== t) [bestT, bestTAt] = [dotT, q];
    }
    const end = this.logBase + this.log.length;
    this.bestDot[s] = bestS;
    this.bestSlot[s] = bestSAt;
    this.folded[s] = end;
    this.bestDot[t] = bestT;
    this.bestSlot[t] = bestTAt;
    this.folded[t] = end;
  }

  /** Every reference's vector, back to back; rebuilt after the set changed. */
  private referenceMatrix(): Block {
    this.references ??= this.block((add) => {
      for (let slot = 0; slot < this.count; slot++) if (this.isReference[slot] === 1) add(slot);
    });
    return this.references;
  }

  /** The vectors of the references logged from `from` on (and still references); kept for the cases that share it. */
  private logMatrix(from: number): Block {
    const cached = this.logged;
    if (cached && cached.from === from && cached.generation === this.generation) return cached.block;
    const block = this.block((add) => {
      for (let i = from - this.logBase; i < this.log.length; i++) {
        const slot = this.log[i]!;
        if (this.isReference[slot] === 1) add(slot);
      }
    });
    this.logged = { from, generation: this.generation, block };
    return block;
  }

  private block(each: (add: (slot: number) => void) => void): Block {
    const chosen: number[] = [];
    each((slot) => chosen.push(slot));
    const d = this.dimension;
    const matrix = new Float32Array(chosen.length * d);
    for (const [at, slot] of chosen.entries()) matrix.set(this.vectors.subarray(slot * d, (slot + 1) * d), at * d);
    return { slots: Int32Array.from(chosen), matrix };
  }

  private grow(capacity: number): void {
    this.vectors = widened(this.vectors, new Float32Array(capacity * this.dimension));
    this.ids = widened(this.ids, new Float64Array(capacity));
    this.labelled = widened(this.labelled, new Uint8Array(capacity));
    this.isReference = widened(this.isReference, new Uint8Array(capacity));
    this.bestDot = widened(this.bestDot, new Float32Array(capacity));
    this.bestSlot = widened(this.bestSlot, new Int32Array(capacity));
    this.folded = widened(this.folded, new Float64Array(capacity));
    this.capacity = capacity;
  }
}

function widened<T extends { set(values: ArrayLike<number>): void }>(old: ArrayLike<number>, next: T): T {
  next.set(old);
  return next;
}
