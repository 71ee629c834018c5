/**
 * Fetches the files of a Hugging Face image classifier through the Hub's HTTP API into a plain
 * folder (no HF cache layout), which train.py and convert.py read as `hf:<folder>`:
 * `<root>/<owner>--<name>/<commit>/`. The revision is resolved to a commit first, so every file
 * comes from the same one. A file is written under `<root>/.partial/…` and moved into place only
 * once its size (and, for LFS files, its SHA-256; for the others, its git blob id) matches what
 * the Hub lists: the folder only ever holds whole files. A dropped connection resumes with a
 * Range request, and a download started again later resumes from what the last one left.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

export class HfDownloadError extends Error {
  override readonly name = 'HfDownloadError';
}

export interface HfDownloadProgress {
  file: string;
  /** Bytes of the chosen files on disk (whole or partial). */
  bytesDone: number;
  bytesTotal: number;
}

export interface HfDownloadOptions {
  /** The Hub, e.g. https://huggingface.co (settings: publish.hfEndpoint). */
  endpoint: string;
  repo: string;
  revision: string;
  /** For private or gated repositories; sent only to the endpoint (fetch drops it on a cross-origin redirect). */
  token?: string | null;
  /** The folder the repositories are kept in. */
  root: string;
  signal?: AbortSignal;
  onProgress?: (progress: HfDownloadProgress) => void;
  /** Waits before each retry of a dropped transfer; as many retries as entries. */
  retryDelaysMs?: readonly number[];
}

export interface HfDownload {
  dir: string;
  commit: string;
  files: { name: string; size: number }[];
}

const SiblingSchema = z.object({
  rfilename: z.string().min(1),
  size: z.number().int().min(0).optional(),
  blobId: z.string().optional(),
  lfs: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().min(0) }).optional(),
});
type Sibling = z.infer<typeof SiblingSchema>;

const RevisionInfoSchema = z.object({
  sha: z.string().regex(/^[0-9a-f]{7,64}$/),
  siblings: z.array(SiblingSchema),
});

/** What a classifier needs, in the order fetched (small files first: a wrong repository fails fast). */
const REQUIRED = ['config.json', 'preprocessor_config.json'] as const;
const WEIGHTS = ['model.safetensors', 'pytorch_model.bin'] as const;
const OPTIONAL = ['README.md'] as const;
const RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 15_000];

/** The folder a repository's commit is kept in. */
export function hfRepoDir(root: string, repo: string, commit: string): string {
  return join(root, repo.replace('/', '--'), commit);
}

export async function downloadHfRepo(options: HfDownloadOptions): Promise<HfDownload> {
  const endpoint = options.endpoint.replace(/\/+$/, '');
  const info = await revisionInfo(endpoint, options);
  const files = chooseFiles(info.siblings, options.repo, options.revision);
  const dir = hfRepoDir(options.root, options.repo, info.sha);
  const partialDir = hfRepoDir(join(options.root, '.partial'), options.repo, info.sha);
  await mkdir(dir, { recursive: true });
  await mkdir(partialDir, { recursive: true });

  const sizes = new Map(files.map((file) => [file.rfilename, expectedSize(file) ?? 0]));
  const onDisk = new Map<string, number>();
  const report = (file: string, bytes: number) => {
    onDisk.set(file, bytes);
    options.onProgress?.({
      file,
      bytesDone: [...onDisk.values()].reduce((sum, n) => sum + n, 0),
      bytesTotal: [...sizes.values()].reduce((sum, n) => sum + n, 0),
    });
  };

  const fetched: HfDownload['files'] = [];
  for (const file of files) {
    options.signal?.throwIfAborted();
    const url = `${endpoint}/${options.repo}/resolve/${info.sha}/${file.rfilename.split('/').map(encodeURIComponent).join('/')}`;
    const size = await fetchFile(url, file, join(dir, file.rfilename), join(partialDir, file.rfilename), {
      ...options,
      report: (bytes, total) => {
        if (total !== null) sizes.set(file.rfilename, total);
        report(file.rfilename, bytes);
      },
    });
    fetched.push({ name: file.rfilename, size });
  }
  await rm(partialDir, { recursive: true, force: true });
  return { dir, commit: info.sha, files: fetched };
}

function authHeaders(token: string | null | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function revisionInfo(endpoint: string, options: HfDownloadOptions): Promise<z.infer<typeof RevisionInfoSchema>> {
  const url = `${endpoint}/api/models/${options.repo}/revision/${encodeURIComponent(options.revision)}?blobs=true`;
  let response: Response;
  try {
    response = await fetch(url, { headers: authHeaders(options.token), signal: options.signal });
  } catch (error) {
    options.signal?.throwIfAborted();
    throw new HfDownloadError(`The Hub at ${endpoint} cannot be reached: ${causeOf(error)}.`);
  }
  if (response.status === 401 || response.status === 403)
    throw new HfDownloadError(
      `${options.repo} is private or gated on ${endpoint} (HTTP ${response.status}): it needs a Hugging Face token with access to it.`,
    );
  if (response.status === 404)
    throw new HfDownloadError(`${endpoint} has no repository ${options.repo} at revision ${options.revision}.`);
  if (!response.ok)
    throw new HfDownloadError(`${endpoint} answered HTTP ${response.status} for ${options.repo}@${options.revision}.`);
  const parsed = RevisionInfoSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success)
    throw new HfDownloadError(`${endpoint} did not describe ${options.repo} as the Hub does (no commit or file list).`);
  return parsed.data;
}

/** The files a conversion needs; a repository without them is refused, naming what it lacks. */
function chooseFiles(siblings: readonly Sibling[], repo: string, revision: string): Sibling[] {
  const byName = new Map(siblings.map((sibling) => [sibling.rfilename, sibling]));
  const missing: string[] = REQUIRED.filter((name) => !byName.has(name));
  const weights = WEIGHTS.map((name) => byName.get(name)).find(Boolean);
  if (!weights) missing.push(WEIGHTS.join(' or '));
  if (missing.length > 0)
    throw new HfDownloadError(
      `${repo}@${revision} is not an image classifier the console can import: it has no ${missing.join(', ')}` +
        ` (it holds ${
          siblings
            .map((s) => s.rfilename)
            .slice(0, 12)
            .join(', ') || 'no files'
        }).`,
    );
  return [
    ...REQUIRED.map((name) => byName.get(name)!),
    ...OPTIONAL.flatMap((name) => byName.get(name) ?? []),
    weights!,
  ];
}

function expectedSize(file: Sibling): number | null {
  return file.lfs?.size ?? file.size ?? null;
}

interface FetchContext extends HfDownloadOptions {
  report(bytes: number, total: number | null): void;
}

/** One file into `target`, resuming `partial`; answers its size. */
async function fetchFile(url: string, file: Sibling, target: string, partial: string, context: FetchContext) {
  const expected = expectedSize(file);
  const present = await sizeOf(target);
  if (present !== null && (expected === null || present === expected) && (await matchesHash(target, file))) {
    context.report(present, present);
    return present;
  }
  await mkdir(join(partial, '..'), { recursive: true });
  const delays = context.retryDelaysMs ?? RETRY_DELAYS_MS;
  for (let attempt = 0; ; attempt++) {
    context.signal?.throwIfAborted();
    try {
      const total = await transfer(url, file, partial, expected, context);
      await verify(partial, file, total);
      const handle = await open(partial, 'r');
      await handle.sync().finally(() => handle.close());
      await mkdir(join(target, '..'), { recursive: true });
      await rename(partial, target);
      return total;
    } catch (error) {
      context.signal?.throwIfAborted();
      if (!(error instanceof DroppedTransfer) || attempt >= delays.length) {
        if (error instanceof DroppedTransfer)
          throw new HfDownloadError(
            `${file.rfilename} kept dropping (${error.message}); what arrived is kept: import again to resume.`,
          );
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, delays[attempt]));
    }
  }
}

/** A transfer cut short by the network: worth another try from where it stopped. */
class DroppedTransfer extends Error {}

/**
 * One GET of the file, from the partial file's end when there is one. Answers the whole file's
 * size (as listed, else as the server said).
 */
async function transfer(
  url: string,
  file: Sibling,
  partial: string,
  expected: number | null,
  context: FetchContext,
): Promise<number> {
  let have = (await sizeOf(partial)) ?? 0;
  if (expected !== null && have > expected) {
    await rm(partial, { force: true });
    have = 0;
  }
  if (expected !== null && have === expected) return expected;
  const headers = { ...authHeaders(context.token), ...(have > 0 ? { range: `bytes=${have}-` } : {}) };
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: context.signal, redirect: 'follow' });
  } catch (error) {
    context.signal?.throwIfAborted();
    throw new DroppedTransfer(causeOf(error));
  }
  if (response.status >= 500) throw new DroppedTransfer(`HTTP ${response.status}`);
  if (response.status === 401 || response.status === 403)
    throw new HfDownloadError(`${file.rfilename} needs a Hugging Face token with access (HTTP ${response.status}).`);
  if (response.status !== 200 && response.status !== 206)
    throw new HfDownloadError(`${file.rfilename} could not be fetched: HTTP ${response.status}.`);
  const resumed = response.status === 206;
  if (resumed) {
    const start = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1];
    if (Number(start) !== have) throw new DroppedTransfer(`the server resumed at byte ${start ?? '?'}, not ${have}`);
  } else have = 0; // the server sent the whole file: start over
  const length = Number(response.headers.get('content-length') ?? NaN);
  const served = resumed
    ? Number(/\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1] ?? NaN)
    : have + length;
  if (expected !== null && Number.isFinite(served) && served !== expected) {
    await response.body?.cancel();
    await rm(partial, { force: true });
    throw new HfDownloadError(
      `${file.rfilename} is ${served} bytes on the server, not the ${expected} the Hub lists: refused.`,
    );
  }
  const total = expected ?? (Number.isFinite(served) ? served : null);
  context.report(have, total);
  if (!response.body) throw new DroppedTransfer('no body');

  let written = have;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      written += chunk.length;
      if (total !== null && written > total)
        return done(new HfDownloadError(`${file.rfilename} is larger than the ${total} bytes the Hub lists: refused.`));
      context.report(written, total);
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
    context.signal?.throwIfAborted();
    if (error instanceof HfDownloadError) {
      await rm(partial, { force: true });
      throw error;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT')
      throw new HfDownloadError(`The disk is full: ${file.rfilename} could not be written into ${partial}.`);
    if (code === 'EACCES' || code === 'EROFS') throw new HfDownloadError(`${partial} cannot be written (${code}).`);
    throw new DroppedTransfer(causeOf(error));
  }
  return total ?? written;
}

/** Size, then hash: a file that is not what the Hub lists is removed and refused. */
async function verify(partial: string, file: Sibling, total: number): Promise<void> {
  const size = (await sizeOf(partial)) ?? 0;
  if (size < total) throw new DroppedTransfer(`${size} of ${total} bytes arrived`);
  const expected = expectedSize(file);
  if (expected !== null && size !== expected) {
    await rm(partial, { force: true });
    throw new HfDownloadError(
      `${file.rfilename} arrived with ${size} bytes, not the ${expected} the Hub lists: refused.`,
    );
  }
  if (!(await matchesHash(partial, file))) {
    await rm(partial, { force: true });
    const what = file.lfs ? `SHA-256 ${file.lfs.sha256}` : `git blob ${file.blobId ?? ''}`;
    throw new HfDownloadError(`${file.rfilename} does not match the ${what} the Hub lists: refused.`);
  }
}

/** An LFS file against its SHA-256; another against its git blob id (SHA-1 of "blob <size>\0" + bytes). */
async function matchesHash(path: string, file: Sibling): Promise<boolean> {
  if (file.lfs) return (await hashFile(path, 'sha256')) === file.lfs.sha256;
  if (file.blobId && /^[0-9a-f]{40}$/.test(file.blobId)) {
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

function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
