/**
 * Files the operator dropped on the console arrive as base64 chunks (a browser has no paths to
 * give), staged under `<dataDir>/uploads/<batch>/<name>` until the batch is imported, then
 * removed. A chunk lands exactly where the file ends so far, or is refused; nothing grows past
 * the import limit; no name leaves its batch's folder.
 */
import { appendFile, mkdir, realpath, rm, stat } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { UploadBatchSchema, UploadNameSchema } from '../../shared/domain/hard-case.js';
import { ApiError, errorMessage } from '../../shared/errors.js';
import type { HardCaseStore } from './hard-case-store.js';
import { importImages, MAX_IMPORT_BYTES, oversizeReason, type ImportVerdict } from './import-images.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export class UploadStaging {
  /** Chunks of one file are written one after another, whatever order their calls overlap in. */
  private readonly writing = new Map<string, Promise<unknown>>();

  constructor(
    /** `<dataDir>/uploads`. */
    readonly root: string,
    private readonly maxBytes = MAX_IMPORT_BYTES,
  ) {}

  /** Removes every staged batch: at start, what an earlier run left half uploaded. */
  async clear(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }

  /** Appends a base64 chunk at `offset`, which must be the file's size so far. Returns the new size. */
  async append(batch: string, name: string, offset: number, data: string): Promise<{ size: number }> {
    const path = this.pathOf(batch, name);
    if (data.length % 4 !== 0 || !BASE64.test(data)) throw new ApiError('failed', `${name}: the chunk is not base64.`);
    const bytes = Buffer.from(data, 'base64');
    return this.serially(path, async () => {
      const size = (await fileSize(path)) ?? 0;
      if (offset !== size)
        throw new ApiError(
          'failed',
          `${name}: a chunk for byte ${offset} arrived, but ${size} bytes are staged; send the chunk that starts at byte ${size}.`,
        );
      if (size + bytes.length > this.maxBytes) {
        await rm(path, { force: true });
        throw new ApiError('failed', `${name} ${oversizeReason(size + bytes.length, this.maxBytes)}: not uploaded.`);
      }
      try {
        await mkdir(dirname(path), { recursive: true });
        // The folder as the disk resolves it (links followed) must still be inside the batch's.
        const [folder, batchFolder] = await Promise.all([realpath(dirname(path)), realpath(this.batchDir(batch))]);
        if (folder !== batchFolder && !isInside(folder, batchFolder))
          throw new ApiError('failed', `${name}: not a name inside the upload.`);
        await appendFile(path, bytes);
      } catch (error) {
        if (error instanceof ApiError) throw error;
        throw new ApiError(
          'failed',
          `${name} cannot be staged (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
        );
      }
      return { size: size + bytes.length };
    });
  }

  /**
   * Imports a staged batch as `importImages` does (an ImageFolder brings its labels), then removes
   * it. A file over the limit, or one whose bytes did not all arrive, is refused without being
   * read. Verdicts come in the order of `files`, each named as the file was dropped.
   */
  async importBatch(
    store: HardCaseStore,
    batch: string,
    files: readonly { name: string; size: number }[],
    by: string,
  ): Promise<ImportVerdict[]> {
    const folder = this.batchDir(batch);
    try {
      const verdicts: ImportVerdict[] = files.map(({ name }) => ({ path: name, status: 'refused', reason: '' }));
      /** Each staged path, with the positions in `files` that name it (a name dropped twice). */
      const positions = new Map<string, number[]>();
      for (const [i, { name, size }] of files.entries()) {
        if (size > this.maxBytes) {
          verdicts[i]!.reason = oversizeReason(size, this.maxBytes);
          continue;
        }
        let path: string;
        try {
          path = this.pathOf(batch, name);
        } catch (error) {
          verdicts[i]!.reason = errorMessage(error);
          continue;
        }
        const arrived = (await fileSize(path)) ?? 0;
        if (arrived !== size) {
          verdicts[i]!.reason = `is an incomplete upload (${arrived} of ${size} bytes arrived)`;
          continue;
        }
        positions.set(path, [...(positions.get(path) ?? []), i]);
      }
      const paths = [...positions.entries()].flatMap(([path, at]) => at.map(() => path));
      if (paths.length > 0) {
        for (const verdict of await importImages(store, paths, { by, maxBytes: this.maxBytes })) {
          const i = positions.get(verdict.path)?.shift();
          if (i !== undefined) verdicts[i] = { ...verdict, path: files[i]!.name };
        }
      }
      return verdicts;
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }

  private batchDir(batch: string): string {
    if (!UploadBatchSchema.safeParse(batch).success) throw new ApiError('failed', `"${batch}" is not an upload batch.`);
    return resolve(this.root, batch);
  }

  /** Where a dropped name is staged: inside its batch's folder, or refused. */
  private pathOf(batch: string, name: string): string {
    const folder = this.batchDir(batch);
    const path = resolve(folder, ...name.split('/'));
    if (!UploadNameSchema.safeParse(name).success || !isInside(path, folder))
      throw new ApiError('failed', `${name}: not a name inside the upload.`);
    return path;
  }

  private serially<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.writing.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => undefined);
    this.writing.set(key, settled);
    void settled.then(() => {
      if (this.writing.get(key) === settled) this.writing.delete(key);
    });
    return next;
  }
}

function isInside(path: string, folder: string): boolean {
  return path.startsWith(folder + sep);
}

/** A regular file's size, or null when there is none at `path`. */
async function fileSize(path: string): Promise<number | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : null;
  } catch {
    return null;
  }
}
