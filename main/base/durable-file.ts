import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/*
 * One way to replace a file so that a crash or a full disk leaves either the old file or the new
 * one, never half of each: write a sibling, fsync it, rename it over, fsync the folder.
 */

export interface DurableWriteOptions {
  /** The new file's permissions; private to this user unless said otherwise. */
  mode?: number;
}

const PRIVATE = 0o600;

/** Replaces `path` with `contents` (text as UTF-8), durably. */
export async function writeFileDurably(
  path: string,
  contents: string | Uint8Array,
  options: DurableWriteOptions = {},
): Promise<void> {
  const temporary = temporarySibling(path);
  // `wx`: a name left behind by a crash is never written into or taken for a finished file.
  const file = await open(temporary, 'wx', options.mode ?? PRIVATE);
  try {
    await file.writeFile(contents);
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await file.close();
  await renameDurably(temporary, path);
}

/**
 * Makes a finished `temporary` (written in `path`'s folder, by a stream say) the file at `path`:
 * fsync, rename over, fsync the folder. The temporary is removed when that fails.
 */
export async function moveIntoPlaceDurably(temporary: string, path: string): Promise<void> {
  try {
    // Opened for writing: Windows flushes only a handle that may write.
    const file = await open(temporary, 'r+');
    try {
      await file.sync();
    } finally {
      await file.close();
    }
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await renameDurably(temporary, path);
}

/** writeFileDurably for the few places that must not yield (a write while the process shuts down). */
export function writeFileDurablySync(
  path: string,
  contents: string | Uint8Array,
  options: DurableWriteOptions = {},
): void {
  const temporary = temporarySibling(path);
  const bytes = typeof contents === 'string' ? Buffer.from(contents, 'utf8') : contents;
  const fd = openSync(temporary, 'wx', options.mode ?? PRIVATE);
  try {
    for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  if (process.platform === 'win32') return;
  const folder = openSync(dirname(path), 'r');
  try {
    fsyncSync(folder);
  } finally {
    closeSync(folder);
  }
}

async function renameDurably(temporary: string, path: string): Promise<void> {
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** A hidden name beside `path`, unique to this write: two writers of one file never share one. */
function temporarySibling(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

async function syncDirectory(path: string): Promise<void> {
  // Windows cannot open a folder for fsync; the rename is as durable as it gets there.
  if (process.platform === 'win32') return;
  const folder = await open(path, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
