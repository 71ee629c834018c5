/**
 * One file of a Hub repository onto disk, resumable: written under a partial path, resumed with a
 * Range request after a dropped connection (and by a later download), moved into place only once
 * its size and hash match what the Hub lists.
 *
 * Ours rather than the library's `downloadFile`: its blob's stream() resumes with Range, but does
 * not check that the server honoured the Range (a 200 with the whole file would be appended to
 * what is kept), and it turns an HTTP refusal into a bare message, so a 401 could not be told
 * from a dropped link.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { withRetry } from '../base/retry.js';
import { HfDownloadError } from './hf-download-error.js';
import { causeOf, type HubFile } from './hf-revision.js';

export interface FileFetch {
  url: string;
  file: HubFile;
  target: string;
  partial: string;
  token?: string | null;
  signal?: AbortSignal;
  /** Waits before each retry of a dropped transfer; as many retries as entries. */
  retryDelaysMs: readonly number[];
  /** Bytes of this file on disk, and its whole size once known. */
  report: (bytes: number, total: number | null) => void;
  /** Told before each wait, with why the transfer dropped. */
  onRetry?: (reason: string, delayMs: number) => void;
}

/** A transfer cut short by the network: worth another try from where it stopped. */
class DroppedTransfer extends Error {}

/** The file into `target`, resuming `partial`; answers its size. */
export async function fetchHubFile(fetchOf: FileFetch): Promise<number> {
  const { file, target, partial, signal } = fetchOf;
  const present = await sizeOf(target);
  if (present !== null && present === file.size && (await matchesHash(target, file))) {
    fetchOf.report(present, present);
    return present;
  }
  await mkdir(dirname(partial), { recursive: true });
  try {
    return await withRetry(
      async () => {
        const total = await transfer(fetchOf);
        await verify(partial, file, total);
        const handle = await open(partial, 'r');
        await handle.sync().finally(() => handle.close());
        await mkdir(dirname(target), { recursive: true });
        await rename(partial, target);
        return total;
      },
      {
        delaysMs: fetchOf.retryDelaysMs.length > 0 ? fetchOf.retryDelaysMs : [0],
        attempts: fetchOf.retryDelaysMs.length + 1,
        signal,
        isRetryable: (error) => error instanceof DroppedTransfer,
        onRetry: (error, delayMs) => fetchOf.onRetry?.((error as Error).message, delayMs),
      },
    );
  } catch (error) {
    signal?.throwIfAborted();
    if (error instanceof DroppedTransfer)
      throw new HfDownloadError(
        `${file.path} kept dropping (${error.message}); what arrived is kept: import again to resume.`,
      );
    throw error;
  }
}

/**
 * One GET of the file, from the partial file's end when there is one. Answers the whole file's
 * size (as listed, else as the server said).
 */
async function transfer({ url, file, partial, token, signal, report }: FileFetch): Promise<number> {
  const expected = file.size;
  let have = (await sizeOf(partial)) ?? 0;
  if (have > expected) {
    await rm(partial, { force: true });
    have = 0;
  }
  if (have === expected) return expected;
  // The token goes only to the endpoint: fetch drops it on a cross-origin redirect (to a CDN).
  const headers = {
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(have > 0 ? { range: `bytes=${have}-` } : {}),
  };
  let response: Response;
  try {
    response = await fetch(url, { headers, signal, redirect: 'follow' });
  } catch (error) {
    signal?.throwIfAborted();
    throw new DroppedTransfer(causeOf(error));
  }
  if (response.status >= 500) throw new DroppedTransfer(`HTTP ${response.status}`);
  if (response.status === 401 || response.status === 403)
    throw new HfDownloadError(`${file.path} needs a Hugging Face token with access (HTTP ${response.status}).`);
  if (response.status !== 200 && response.status !== 206)
    throw new HfDownloadError(`${file.path} could not be fetched: HTTP ${response.status}.`);
  const resumed = response.status === 206;
  if (resumed) {
    const start = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1];
    if (Number(start) !== have) throw new DroppedTransfer(`the server resumed at byte ${start ?? '?'}, not ${have}`);
  } else have = 0; // the server sent the whole file: start over
  const length = Number(response.headers.get('content-length') ?? NaN);
  const served = resumed
    ? Number(/\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1] ?? NaN)
    : have + length;
  if (Number.isFinite(served) && served !== expected) {
    await response.body?.cancel();
    await rm(partial, { force: true });
    throw new HfDownloadError(
      `${file.path} is ${served} bytes on the server, not the ${expected} the Hub lists: refused.`,
    );
  }
  report(have, expected);
  if (!response.body) throw new DroppedTransfer('no body');

  let written = have;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      written += chunk.length;
      if (written > expected)
        return done(new HfDownloadError(`${file.path} is larger than the ${expected} bytes the Hub lists: refused.`));
      report(written, expected);
      done(null, chunk);
    },
  });
  try {
    await pipeline(
      // fetch's body is typed by whichever lib is in scope (DOM in the e2e project); it is Node's here.
      Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>),
      counter,
      createWriteStream(partial, { flags: resumed ? 'a' : 'w' }),
    );
  } catch (error) {
    signal?.throwIfAborted();
    if (error instanceof HfDownloadError) {
      await rm(partial, { force: true });
      throw error;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT')
      throw new HfDownloadError(`The disk is full: ${file.path} could not be written into ${partial}.`);
    if (code === 'EACCES' || code === 'EROFS') throw new HfDownloadError(`${partial} cannot be written (${code}).`);
    throw new DroppedTransfer(causeOf(error));
  }
  return expected;
}

/** Size, then hash: a file that is not what the Hub lists is removed and refused. */
async function verify(partial: string, file: HubFile, total: number): Promise<void> {
  const size = (await sizeOf(partial)) ?? 0;
  if (size < total) throw new DroppedTransfer(`${size} of ${total} bytes arrived`);
  if (size !== file.size) {
    await rm(partial, { force: true });
    throw new HfDownloadError(`${file.path} arrived with ${size} bytes, not the ${file.size} the Hub lists: refused.`);
  }
  if (!(await matchesHash(partial, file))) {
    await rm(partial, { force: true });
    const what = file.sha256 ? `SHA-256 ${file.sha256}` : `git blob ${file.blobId ?? ''}`;
    throw new HfDownloadError(`${file.path} does not match the ${what} the Hub lists: refused.`);
  }
}

/** An LFS file against its SHA-256; another against its git blob id (SHA-1 of "blob <size>\0" + bytes). */
async function matchesHash(path: string, file: HubFile): Promise<boolean> {
  if (file.sha256) return (await hashFile(path, 'sha256')) === file.sha256;
  if (file.blobId) {
    const size = (await sizeOf(path)) ?? 0;
    return (await hashFile(path, 'sha1', `blob ${size}\0`)) === file.blobId;
  }
  return true;
}

async function hashFile(path: string, algorithm: 'sha256' | 'sha1', prefix = ''): Promise<string> {
  const hash = createHash(algorithm).update(prefix);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch {
    return null;
  }
}
