/**
 * The hard-case gallery's commands and counters stream, over the store: ranked views kept as
 * snapshots and read a page at a time, facets for the filters, thumbnails and previews, staged
 * uploads, labelling with its undo and redo, import and export. The host only wires these up.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type {
  CommandHandlers,
  CommandInput,
  CommandName,
  CommandResponse,
  Disposable,
  StreamSources,
} from '../../shared/contract.js';
import type { HardCaseCounts, HardCaseView } from '../../shared/domain/hard-case.js';
import { ApiError, errorMessage } from '../../shared/errors.js';
import { Emitter } from '../base/emitter.js';
import { makePreview } from '../store/thumbnails.js';
import { exportDataset } from './export-dataset.js';
import type { HardCaseStore, LabelChange } from './hard-case-store.js';
import { importImages } from './import-images.js';
import type { UploadStaging } from './upload-staging.js';

/** Views kept for paging: enough for a few consoles and filters; the least recently read goes first. */
export const VIEWS_KEPT = 8;
/** The counters go out at most this often; the last change of a burst always goes out. */
export const COUNTS_INTERVAL_MS = 100;
const PREVIEW_MAX_SIDE = 2048;
/** Thumbnails made at once when many are missing (sharp has its own thread pool). */
const THUMBNAIL_CONCURRENCY = 8;
/** Who labels through the console. */
const OPERATOR = 'operator';

type Command = Extract<CommandName, `hardcases.${string}`>;
type Input<K extends Command> = CommandInput<K>;
type Output<K extends Command> = Promise<CommandResponse<K>>;

export class HardCaseService {
  /** Each view's case ids in order, by view id; a Map keeps the least recently used first. */
  private readonly views = new Map<string, readonly number[]>();
  private readonly countsEmitter = new Emitter<HardCaseCounts>();
  private countsTimer: ReturnType<typeof setTimeout> | null = null;
  private countsSentAt = -Infinity;
  private readonly storeListener: Disposable;

  constructor(
    private readonly store: HardCaseStore,
    private readonly uploads: UploadStaging,
  ) {
    this.storeListener = store.onDidChange(() => this.scheduleCounts());
  }

  /**
   * Ranks the matching cases and keeps the order as a view. Its id follows from the order, so
   * the same query over unchanged cases gives the same view, from any console.
   */
  async query({ filter, sort }: Input<'hardcases.query'>): Output<'hardcases.query'> {
    const ids = await this.store.rank(filter, sort);
    const view = createHash('sha256').update(new Float64Array(ids)).digest('hex').slice(0, 32);
    this.keep(view, ids);
    return { view, total: ids.length } satisfies HardCaseView;
  }

  /** A slice of a view, each case as it is now (its label, its uniqueness). */
  page({ view, offset, limit }: Input<'hardcases.page'>): Output<'hardcases.page'> {
    const ids = this.views.get(view);
    if (!ids) return Promise.reject(new ApiError('failed', 'That view has expired; query again.'));
    this.keep(view, ids);
    return Promise.resolve(this.store.byIds(ids.slice(offset, offset + limit)));
  }

  facets({ filter }: Input<'hardcases.facets'>): Output<'hardcases.facets'> {
    return Promise.resolve(this.store.facets(filter));
  }

  async thumbnails({ hashes }: Input<'hardcases.thumbnails'>): Output<'hardcases.thumbnails'> {
    const unique = [...new Set(hashes)];
    const urls: Record<string, string | null> = {};
    let next = 0;
    const worker = async () => {
      while (next < unique.length) {
        const hash = unique[next++]!;
        const jpeg = await this.store.thumbnail(hash);
        urls[hash] = jpeg ? dataUrl(jpeg) : null;
      }
    };
    await Promise.all(Array.from({ length: Math.min(THUMBNAIL_CONCURRENCY, unique.length) }, worker));
    return urls;
  }

  async preview({ hash }: Input<'hardcases.preview'>): Output<'hardcases.preview'> {
    let image: Buffer;
    try {
      image = await readFile(this.store.imagePath(hash));
    } catch {
      throw new ApiError('failed', 'That case has no image on disk.');
    }
    try {
      const { jpeg, width, height } = await makePreview(image, PREVIEW_MAX_SIDE);
      return { dataUrl: dataUrl(jpeg), width, height };
    } catch (error) {
      throw new ApiError('failed', `That case's image cannot be decoded (${firstLine(error)}).`);
    }
  }

  upload({ batch, name, offset, data }: Input<'hardcases.upload'>): Output<'hardcases.upload'> {
    return this.uploads.append(batch, name, offset, data);
  }

  importUploaded({ batch, files }: Input<'hardcases.importUploaded'>): Output<'hardcases.importUploaded'> {
    return this.uploads.importBatch(this.store, batch, files, OPERATOR);
  }

  counts(): Output<'hardcases.counts'> {
    return Promise.resolve(this.store.counts());
  }

  label({ hashes, label }: Input<'hardcases.label'>): Output<'hardcases.label'> {
    return Promise.resolve(this.withCounts(this.store.label(hashes, label, OPERATOR)));
  }

  undo(): Output<'hardcases.undo'> {
    const change = this.store.undo();
    return Promise.resolve(change && this.withCounts(change));
  }

  redo(): Output<'hardcases.redo'> {
    const change = this.store.redo();
    return Promise.resolve(change && this.withCounts(change));
  }

  import({ paths }: Input<'hardcases.import'>): Output<'hardcases.import'> {
    return importImages(this.store, paths, { by: OPERATOR });
  }

  async export({ out, heldOut, syntheticShare, seed }: Input<'hardcases.export'>): Output<'hardcases.export'> {
    try {
      return await exportDataset(this.store, {
        out,
        heldOut,
        synthetic: syntheticShare > 0 ? { share: syntheticShare, seed } : undefined,
      });
    } catch (error) {
      throw new ApiError('failed', errorMessage(error));
    }
  }

  /** The counters now, then after every change: at most one event per COUNTS_INTERVAL_MS, the last state always. */
  streamCounts(emit: (counts: HardCaseCounts) => void): Disposable {
    emit(this.store.counts());
    return this.countsEmitter.event(emit);
  }

  handlers(): CommandHandlers<Command> {
    return {
      'hardcases.query': (input) => this.query(input),
      'hardcases.page': (input) => this.page(input),
      'hardcases.facets': (input) => this.facets(input),
      'hardcases.thumbnails': (input) => this.thumbnails(input),
      'hardcases.preview': (input) => this.preview(input),
      'hardcases.upload': (input) => this.upload(input),
      'hardcases.importUploaded': (input) => this.importUploaded(input),
      'hardcases.counts': () => this.counts(),
      'hardcases.label': (input) => this.label(input),
      'hardcases.import': (input) => this.import(input),
      'hardcases.export': (input) => this.export(input),
      'hardcases.undo': () => this.undo(),
      'hardcases.redo': () => this.redo(),
    };
  }

  streams(): StreamSources<'hardcases.counts'> {
    return {
      'hardcases.counts': (_params, emit) => this.streamCounts(emit),
    };
  }

  dispose(): void {
    this.storeListener.dispose();
    if (this.countsTimer) clearTimeout(this.countsTimer);
    this.countsTimer = null;
    this.countsEmitter.dispose();
  }

  private keep(view: string, ids: readonly number[]): void {
    this.views.delete(view);
    this.views.set(view, ids);
    for (const oldest of this.views.keys()) {
      if (this.views.size <= VIEWS_KEPT) break;
      this.views.delete(oldest);
    }
  }

  private withCounts(change: LabelChange): CommandResponse<'hardcases.label'> {
    return { ...change, counts: this.store.counts() };
  }

  /** Counts are read when the timer fires, so a burst of changes goes out once, as it ended. */
  private scheduleCounts(): void {
    if (this.countsTimer || this.countsEmitter.listenerCount === 0) return;
    const wait = Math.max(0, this.countsSentAt + COUNTS_INTERVAL_MS - performance.now());
    this.countsTimer = setTimeout(() => {
      this.countsTimer = null;
      this.countsSentAt = performance.now();
      this.countsEmitter.fire(this.store.counts());
    }, wait);
  }
}

function dataUrl(jpeg: Buffer): string {
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}

function firstLine(error: unknown): string {
  return errorMessage(error).split('\n')[0]!;
}
