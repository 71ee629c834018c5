import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/temp-dir.js';
import { Rng } from '../scenes/rng.js';
import { openDatabase } from '../store/database.js';
import { MIGRATIONS } from '../store/migrations.js';
import { HardCaseStore } from './hard-case-store.js';
import { UniquenessIndex } from './uniqueness-index.js';
import { decodeSnapshot, encodeSnapshot } from './uniqueness-snapshot-file.js';

const tempDir = useTempDirs();

function open(dir: string): { store: HardCaseStore; close: () => void } {
  const db = openDatabase(join(dir, 'console.db'), MIGRATIONS);
  return { store: new HardCaseStore(db, join(dir, 'images')), close: () => db.close() };
}

const hashOf = (i: number) => createHash('sha256').update(`case ${i}`).digest('hex');

/** A challenge seen at second `i`, with this embedding. */
function sight(store: HardCaseStore, i: number, vector: number[], model = 'first-stage@1'): string {
  const hash = hashOf(i);
  store.recordSighting({
    hash,
    source: 'challenge',
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    validator: null,
    prediction: 0.6,
    firstStage: 0.6,
    secondStage: null,
    testnetLabel: null,
    embedding: { model, vector: Float32Array.from(vector) },
  });
  return hash;
}

const uniquenessOf = (store: HardCaseStore, hash: string) => store.get(hash)!.uniqueness;

/** The same definition, the slow way: for checking the index against. */
function bruteForce(vectors: Map<number, number[]>, labelled: Set<number>, id: number): number | null {
  if (labelled.has(id)) return null;
  const unit = (v: number[]) => {
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
  const mine = unit(vectors.get(id)!);
  let best = -Infinity;
  for (const [other, vector] of vectors) {
    if (other === id || (labelled.size > 0 && !labelled.has(other))) continue;
    const theirs = unit(vector);
    best = Math.max(
      best,
      mine.reduce((sum, x, k) => sum + x * theirs[k]!, 0),
    );
  }
  return best === -Infinity ? null : Math.min(2, Math.max(0, 1 - best));
}

describe('the uniqueness index', () => {
  it('agrees with comparing every pair, through adds, labels, undos and interrupted settling', () => {
    const rng = new Rng(7);
    const random = () => rng.next();
    const index = new UniquenessIndex('m', 6);
    const vectors = new Map<number, number[]>();
    const labelled = new Set<number>();
    let next = 1;
    const add = (count: number) => {
      for (let i = 0; i < count; i++) {
        const vector = Array.from({ length: 6 }, () => random() * 2 - 1);
        vectors.set(next, vector);
        index.add(next++, vector, false);
      }
    };
    const check = () => {
      for (const id of vectors.keys()) {
        const expected = bruteForce(vectors, labelled, id);
        const actual = index.uniqueness(id);
        if (expected === null) expect(actual, `case ${id}`).toBeNull();
        else expect(actual, `case ${id}`).toBeCloseTo(expected, 5);
      }
    };
    add(40);
    check(); // nothing labelled: the nearest other case
    for (let round = 0; round < 12; round++) {
      const ids = [...vectors.keys()];
      const pick = (n: number) => Array.from({ length: n }, () => ids[Math.floor(random() * ids.length)]!);
      for (const id of pick(3)) {
        index.setLabelled(id, true);
        labelled.add(id);
      }
      // Sometimes half a settle, as the gallery's background slices leave it.
      if (round % 3 === 0) index.settle(-Infinity);
      for (const id of pick(2)) {
        index.setLabelled(id, false);
        labelled.delete(id);
      }
      if (round % 4 === 1) add(5);
      check();
    }
    // Every label taken back: back to the nearest other case.
    for (const id of [...labelled]) {
      index.setLabelled(id, false);
      labelled.delete(id);
    }
    expect(index.settle()).toBe(true);
    check();
  });

  it('starts from a saved snapshot, accounting for labels given and taken back since, and new cases', () => {
    const rng = new Rng(5);
    const vectors = new Map<number, number[]>();
    for (let id = 1; id <= 60; id++)
      vectors.set(
        id,
        Array.from({ length: 6 }, () => rng.next() * 2 - 1),
      );
    const build = (labelled: Set<number>, upTo: number) => {
      const index = new UniquenessIndex('m', 6);
      for (const [id, vector] of vectors) if (id <= upTo) index.add(id, vector, labelled.has(id));
      return index;
    };
    const first = new Set([1, 2, 3, 4, 5, 6, 7, 8]);
    const saved = build(first, 50).snapshot();
    expect(saved).not.toBeNull();
    const snapshot = decodeSnapshot(encodeSnapshot(saved!))!;
    expect(snapshot.cases).toEqual(saved!.cases);

    // Since then: two labels taken back, three given, ten new cases.
    const now = new Set([1, 2, 3, 4, 5, 6, 20, 21, 22]);
    const index = build(now, 60);
    const restored = index.restore(snapshot);
    expect(restored).toBeGreaterThan(20);
    expect(restored).toBeLessThan(42);
    const subset = new Map([...vectors].filter(([id]) => id <= 60));
    for (const id of subset.keys()) {
      const expected = bruteForce(subset, now, id);
      if (expected === null) expect(index.uniqueness(id), `case ${id}`).toBeNull();
      else expect(index.uniqueness(id), `case ${id}`).toBeCloseTo(expected, 5);
    }
    // A snapshot of another embedding space, or a damaged one, is not used.
    expect(new UniquenessIndex('other', 6).restore(snapshot)).toBe(0);
    expect(decodeSnapshot(encodeSnapshot(saved!).subarray(0, 100))).toBeNull();
  });

  it('puts a planted outlier first under sort "uniqueness", with or without labels', async () => {
    const { store, close } = open(await tempDir());
    const rng = new Rng(3);
    const random = () => rng.next();
    const cluster: string[] = [];
    for (let i = 0; i < 40; i++)
      cluster.push(
        sight(
          store,
          i,
          [1, 0, 0, 0].map((x) => x + (random() - 0.5) * 0.2),
        ),
      );
    const outlier = sight(store, 40, [0, 0.1, 1, 0]);
    const first = async () => store.byIds((await store.rank({ label: 'all' }, 'uniqueness')).slice(0, 1))[0]!.hash;
    expect(await first()).toBe(outlier);
    store.label(cluster.slice(0, 5), 'none', 'op');
    expect(await first()).toBe(outlier);
    const ranked = store.byIds(await store.rank({ label: 'all' }, 'uniqueness'));
    // The labelled cases have no uniqueness: they come last.
    expect(ranked.slice(-5).map((c) => c.uniqueness)).toEqual([null, null, null, null, null]);
    close();
  });

  it('lowers a case once one near it is labelled, and an undo gives it back', async () => {
    const { store, close } = open(await tempDir());
    const a = sight(store, 1, [1, 0, 0]);
    const nearA = sight(store, 2, [0.95, 0.1, 0]);
    const c = sight(store, 3, [0, 1, 0]);
    sight(store, 4, [0, 0, 1]);
    store.label([c], 'roadwork', 'op');
    expect(uniquenessOf(store, a)).toBeCloseTo(1, 5); // orthogonal to the one labelled case
    store.label([nearA], 'none', 'op');
    expect(uniquenessOf(store, a)).toBeLessThan(0.01);
    expect(uniquenessOf(store, nearA)).toBeNull(); // labelled
    store.undo();
    expect(uniquenessOf(store, a)).toBeCloseTo(1, 5);
    expect(uniquenessOf(store, nearA)).toBeCloseTo(1 - 0.1 / Math.hypot(0.95, 0.1), 5); // its nearest labelled: c
    store.redo();
    expect(uniquenessOf(store, a)).toBeLessThan(0.01);
    close();
  });

  it('is rebuilt from the stored embeddings after a restart', async () => {
    const dir = await tempDir();
    let { store, close } = open(dir);
    const rng = new Rng(11);
    const random = () => rng.next();
    const hashes = Array.from({ length: 30 }, (_, i) =>
      sight(
        store,
        i,
        Array.from({ length: 8 }, () => random() - 0.5),
      ),
    );
    store.label(hashes.slice(0, 6), 'roadwork', 'op');
    store.label(hashes.slice(6, 8), 'skip', 'op');
    store.undo();
    const before = hashes.map((hash) => uniquenessOf(store, hash));
    close();
    ({ store, close } = open(dir));
    const after = hashes.map((hash) => uniquenessOf(store, hash));
    expect(after.filter((u) => u !== null)).toHaveLength(24);
    for (const [i, value] of before.entries()) {
      if (value === null) expect(after[i]).toBeNull();
      else expect(after[i]).toBeCloseTo(value, 6);
    }
    close();
  });

  it('saves its distances at close and starts from them; a damaged file only costs the full comparison', async () => {
    const dir = await tempDir();
    let { store, close } = open(dir);
    const rng = new Rng(13);
    const hashes = Array.from({ length: 40 }, (_, i) =>
      sight(
        store,
        i,
        Array.from({ length: 8 }, () => rng.next() - 0.5),
      ),
    );
    store.label(hashes.slice(0, 5), 'none', 'op');
    const before = hashes.map((hash) => uniquenessOf(store, hash));
    store.dispose();
    close();
    const file = join(dir, 'uniqueness.snapshot');
    expect((await stat(file)).size).toBeGreaterThan(35 * 20);

    ({ store, close } = open(dir));
    expect(hashes.map((hash) => uniquenessOf(store, hash))).toEqual(before);
    store.dispose();
    close();
    await writeFile(file, 'not a snapshot');
    ({ store, close } = open(dir));
    const after = hashes.map((hash) => uniquenessOf(store, hash));
    for (const [i, value] of before.entries()) {
      if (value === null) expect(after[i]).toBeNull();
      else expect(after[i]).toBeCloseTo(value, 6);
    }
    close();
  });

  it('settles in the background each time it is asked, also after a first call that had nothing to do', async () => {
    const dir = await tempDir();
    const { store, close } = open(dir);
    await store.settleUniqueness(); // no embeddings yet: nothing to do
    const rng = new Rng(17);
    const hashes = Array.from({ length: 200 }, (_, i) =>
      sight(
        store,
        i,
        Array.from({ length: 8 }, () => rng.next() - 0.5),
      ),
    );
    store.label(hashes.slice(0, 20), 'roadwork', 'op');
    await store.settleUniqueness();
    // Only a settled index is saved: the file holds every unlabelled case's nearest.
    store.dispose();
    close();
    const saved = decodeSnapshot(await readFile(join(dir, 'uniqueness.snapshot')));
    expect(saved?.labelled).toHaveLength(20);
    expect(saved?.cases).toHaveLength(180);
  });

  it("compares only the newest model's embeddings, and keeps each case's stored vector", async () => {
    const dir = await tempDir();
    let { store, close } = open(dir);
    const old = sight(store, 1, [1, 0], 'first-stage@1');
    const a = sight(store, 2, [1, 0, 0], 'first-stage@2');
    const b = sight(store, 3, [0, 1, 0], 'first-stage@2');
    expect(uniquenessOf(store, old)).toBeNull(); // another space: not compared
    expect(uniquenessOf(store, a)).toBeCloseTo(1, 5);
    expect(store.embeddingOf(old)).toEqual({ model: 'first-stage@1', vector: Float32Array.from([1, 0]) });
    close();
    ({ store, close } = open(dir));
    expect(uniquenessOf(store, old)).toBeNull();
    expect(uniquenessOf(store, b)).toBeCloseTo(1, 5);
    close();
  });
});
