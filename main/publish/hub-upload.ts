/**
 * Uploads a folder's files to a Hub model repo in one commit, through the official client's
 * `commitIter`: the repo created if missing, the Hub asked which files go through LFS, those
 * uploaded by the LFS batch API (basic, or in parts for large objects), then the commit naming
 * small files inline and LFS files by their SHA-256.
 *
 * A dropped link or an overloaded Hub is tried again with backoff. Each try asks the Hub afresh,
 * and its batch answer leaves out the LFS objects it already holds whole: those are not sent
 * again, by a retry or by a publication started again later. Parts of an object that did not
 * arrive whole are sent again: the Hub opens a new multipart upload for each batch answer, with a
 * URL for every part (the library refuses an answer that lists fewer), so no part carries over.
 */
import { commitIter, type CommitOperation } from '@huggingface/hub';
import { withRetry } from '../base/retry.js';
import { HubError, type HubClient } from './hub-client.js';

export interface FileToUpload {
  path: string;
  content: Buffer;
}

export interface UploadProgress {
  step: string;
  sentBytes: number;
  totalBytes: number;
  /** Bytes of LFS objects the Hub held already: not sent this time. */
  resumedBytes: number;
}

export interface UploadOptions {
  client: HubClient;
  repo: string;
  files: FileToUpload[];
  summary: string;
  onProgress: (progress: UploadProgress) => void;
  /** Tries of the whole publication before giving up (a dropped link is tried again). */
  attempts?: number;
  /** The wait before the second try; it doubles before each later one. */
  retryDelayMs?: number;
  /** Ends the upload, a backoff wait included, at once. */
  signal?: AbortSignal;
}

export async function uploadToHub(options: UploadOptions): Promise<{ commitUrl: string | null }> {
  const { client, repo, files } = options;
  const sizes = new Map(files.map((file) => [file.path, file.content.length]));
  const totalBytes = [...sizes.values()].reduce((sum, size) => sum + size, 0);
  let progress: UploadProgress = { step: 'Starting…', sentBytes: 0, totalBytes, resumedBytes: 0 };
  const report = (change: Partial<UploadProgress>): void => {
    progress = { ...progress, ...change };
    options.onProgress({ ...progress, sentBytes: Math.min(totalBytes, progress.sentBytes) });
  };

  const attempts = options.attempts ?? 5;
  const firstDelay = options.retryDelayMs ?? 1000;
  const result = await withRetry(() => commitOnce(), {
    attempts,
    delaysMs: Array.from({ length: Math.max(1, attempts - 1) }, (_, index) => firstDelay * 2 ** index),
    signal: options.signal,
    isRetryable: (error) => error instanceof HubError && error.retryable,
    onRetry: (error, _delay, attempt) =>
      report({ step: `${(error as Error).message}; resuming, try ${attempt + 1} of ${attempts}…` }),
  });
  report({ step: 'Published.', sentBytes: totalBytes });
  return result;

  /** One try: everything the Hub does not hold yet, then the commit. */
  async function commitOnce(): Promise<{ commitUrl: string | null }> {
    report({ step: `Creating ${repo} if it is missing…`, sentBytes: 0, resumedBytes: 0 });
    await client.ensureRepo(repo);
    const operations: CommitOperation[] = files.map((file) => ({
      operation: 'addOrUpdate',
      path: file.path,
      // A view of the Buffer's memory, not a copy (a Buffer from readFile never sits on shared memory).
      content: new Blob([
        new Uint8Array(file.content.buffer as ArrayBuffer, file.content.byteOffset, file.content.length),
      ]),
    }));
    const started = new Set<string>();
    try {
      const commit = commitIter({
        ...client.credentials,
        repo: { type: 'model', name: repo },
        title: options.summary,
        operations,
        // Git LFS, which the Hub still takes from clients that do not offer Xet; Xet would send the
        // weights to the Hub's content-addressed store instead, which the tests' stand-in does not serve.
        useXet: false,
        abortSignal: options.signal,
        fetch: countingUploads((bytes) => report({ sentBytes: progress.sentBytes + bytes })),
      });
      for (;;) {
        const next = await commit.next();
        if (next.done) return { commitUrl: next.value?.commit.url ?? null };
        const event = next.value;
        if (event.event === 'phase' && event.phase === 'committing') report({ step: 'Committing…' });
        if (event.event !== 'fileProgress' || event.state !== 'uploading' || started.has(event.path)) continue;
        started.add(event.path);
        // An object the batch answer left out is reported done at once, without a start at 0.
        if (event.progress < 1) report({ step: `Uploading ${event.path}…` });
        else {
          const size = sizes.get(event.path) ?? 0;
          report({
            step: `${event.path} is on the Hub already`,
            sentBytes: progress.sentBytes + size,
            resumedBytes: progress.resumedBytes + size,
          });
        }
      }
    } catch (error) {
      throw client.failure(error);
    }
  }
}

/**
 * fetch for the library that counts the bytes of each upload (a PUT of an object or a part) as
 * they go out: the library's own progress needs XMLHttpRequest, which Node lacks. The length is
 * given as before, since storage refuses a chunked upload.
 */
function countingUploads(onSent: (bytes: number) => void): typeof fetch {
  return (input, init) => {
    const body = init?.body;
    if (init?.method !== 'PUT' || !(body instanceof Blob)) return fetch(input, init);
    const counted = body.stream().pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          onSent(chunk.byteLength);
          controller.enqueue(chunk);
        },
      }),
    );
    const headers = new Headers(init.headers);
    headers.set('content-length', String(body.size));
    // A streamed body needs `duplex` (Node's fetch), which the DOM's RequestInit does not name.
    const streamed: RequestInit & { duplex: 'half' } = { ...init, headers, body: counted, duplex: 'half' };
    return fetch(input, streamed);
  };
}
