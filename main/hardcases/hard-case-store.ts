/**
 * The hard cases: images the miner was unsure of, imported or generated ones, and their labels.
 * One front over the parts that keep them: the rows in SQLite (hard-case-repository), the images
 * as content-addressed files (the same image sent twice is one case seen twice), their
 * thumbnails, the labelling history with undo and redo (label-history), and how unlike anything
 * labelled each case is (hard-case-uniqueness). It tells listeners when the counters may differ.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type {
  HardCase,
  HardCaseCounts,
  HardCaseFacets,
  HardCaseFilter,
  HardCaseLabel,
  HardCaseSort,
} from '../../shared/domain/hard-case.js';
import { Emitter } from '../base/emitter.js';
import { contentPath, writeOnce } from '../store/content-files.js';
import type { Db } from '../store/database.js';
import type { Embedding } from './embedding.js';
import { HardCaseRepository, type SeenImage } from './hard-case-repository.js';
import { HardCaseThumbnails } from './hard-case-thumbnails.js';
import { HardCaseUniqueness } from './hard-case-uniqueness.js';
import { LabelHistory, type AppliedLabels, type LabelChange } from './label-history.js';

export type { SeenImage } from './hard-case-repository.js';
export type { LabelChange } from './label-history.js';

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

export class HardCaseStore {
  private readonly cases: HardCaseRepository;
  private readonly history: LabelHistory;
  private readonly uniqueness: HardCaseUniqueness;
  private readonly thumbnails: HardCaseThumbnails;
  private readonly onDidChangeEmitter = new Emitter<void>();
  /** Fires after new cases or a label change (a step, its undo or redo): the counters may differ. */
  readonly onDidChange = this.onDidChangeEmitter.event;

  constructor(
    db: Db,
    /** Where full images live (`<root>/<aa>/<hash>.jpg`): the challenge log's `images/full`. */
    private readonly imagesRoot: string,
    /** Where thumbnails live, by hash: the challenge log's `images/thumbs`, beside the full images. */
    thumbnailsRoot = join(imagesRoot, '..', 'thumbs'),
    /** Where the uniqueness index's settled distances are kept between runs. */
    snapshotPath = join(imagesRoot, '..', 'uniqueness.snapshot'),
  ) {
    this.cases = new HardCaseRepository(db, (id) => this.uniqueness.of(id));
    this.history = new LabelHistory(db, this.cases);
    this.uniqueness = new HardCaseUniqueness(this.cases, snapshotPath);
    this.thumbnails = new HardCaseThumbnails(thumbnailsRoot, (hash) => this.imagePath(hash));
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
    await this.thumbnails.make(hash, image);
    return { hash, duplicate: this.recordSighting({ ...seen, hash }) };
  }

  /** A sighting of an image already on disk (the challenge log wrote it). Returns whether it was known. */
  recordSighting(seen: SeenImage): boolean {
    const sighting = this.cases.write(seen);
    this.uniqueness.add(sighting);
    if (!sighting.known) this.onDidChangeEmitter.fire();
    return sighting.known;
  }

  /** Many sightings in one transaction (a bulk intake); returns how many were new cases. */
  recordSightings(seen: readonly SeenImage[]): number {
    const sightings = this.cases.writeAll(seen);
    for (const sighting of sightings) this.uniqueness.add(sighting);
    const added = sightings.filter((sighting) => !sighting.known).length;
    if (added > 0) this.onDidChangeEmitter.fire();
    return added;
  }

  get(hash: string): HardCase | null {
    return this.cases.get(hash);
  }

  /** The stored embedding of a case, with its model; null when none was stored. */
  embeddingOf(hash: string): Embedding | null {
    return this.cases.embeddingOf(hash);
  }

  /** Least sure first (then newest): the order labelling pays most in. */
  list(limit: number, offset = 0, label?: HardCaseLabel): HardCase[] {
    return this.cases.list(limit, offset, label);
  }

  /**
   * The ids (rowids) of the cases a filter matches, in a gallery order. SQL filters and sorts;
   * only 'uniqueness' is sorted by the index (brought up to date first).
   */
  async rank(filter: HardCaseFilter, sort: HardCaseSort): Promise<number[]> {
    const ids = this.cases.rank(filter, sort);
    return sort === 'uniqueness' ? this.uniqueness.order(ids) : ids;
  }

  /** The cases with these ids, in this order, as they are now. */
  byIds(ids: readonly number[]): HardCase[] {
    return this.cases.byIds(ids);
  }

  /** The confidence histogram, the cases with no confidence, and the validators, for a filter's cases. */
  facets(filter: HardCaseFilter): HardCaseFacets {
    return this.cases.facets(filter);
  }

  counts(): HardCaseCounts {
    return this.cases.counts();
  }

  /** Labels cases, as one undoable step; durable when it returns. A new step clears what could be redone. */
  label(hashes: readonly string[], label: HardCaseLabel, by: string): LabelChange {
    return this.committed(this.history.label(hashes, label, by)) ?? { hashes: [], labels: {} };
  }

  /** Takes back the latest labelling step; null when there is none. */
  undo(): LabelChange | null {
    return this.committed(this.history.undo());
  }

  /** Does again the step undone last; null when there is none. */
  redo(): LabelChange | null {
    return this.committed(this.history.redo());
  }

  /** The case's thumbnail (made now from its image when it has none yet); null when it has no decodable image. */
  thumbnail(hash: string): Promise<Buffer | null> {
    return this.thumbnails.read(hash);
  }

  /** Brings the uniqueness of every case up to date, a slice at a time so the event loop keeps running. */
  settleUniqueness(): Promise<void> {
    return this.uniqueness.settle();
  }

  /** Stops work in the background (settling the index) and lets go of listeners: before the database closes. */
  dispose(): void {
    this.uniqueness.dispose();
    this.onDidChangeEmitter.dispose();
  }

  /** After a labelling transaction committed: the index hears of the labels, then listeners. */
  private committed(applied: AppliedLabels | null): LabelChange | null {
    if (!applied) return null;
    this.uniqueness.setLabelled(applied.ids);
    this.onDidChangeEmitter.fire();
    return applied.change;
  }
}
