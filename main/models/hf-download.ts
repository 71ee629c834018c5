/**
 * Fetches the files of a Hugging Face image classifier into a plain folder (no HF cache layout),
 * which train.py and convert.py read as `hf:<folder>`: `<root>/<owner>--<name>/<commit>/`. The
 * revision is resolved to a commit first, so every file comes from the same one (hf-revision.ts,
 * through `@huggingface/hub`). Each file is fetched resumably and checked against the size and
 * hash the Hub lists (hf-file-fetch.ts): the folder only ever holds whole files, and a download
 * started again later resumes from what the last one left under `<root>/.partial/…`.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { HfDownloadError } from './hf-download-error.js';
import { fetchHubFile } from './hf-file-fetch.js';
import { hubRevision, type HubFile } from './hf-revision.js';

export { HfDownloadError };

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
  /** Ends the download at once, a wait before a retry included; what arrived is kept. */
  signal?: AbortSignal;
  onProgress?: (progress: HfDownloadProgress) => void;
  /** Waits before each retry of a dropped transfer; as many retries as entries. */
  retryDelaysMs?: readonly number[];
  /** Told before each wait: which file dropped, why, and how long until the next try. */
  onRetry?: (file: string, reason: string, delayMs: number) => void;
}

export interface HfDownload {
  dir: string;
  commit: string;
  files: { name: string; size: number }[];
}

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
  const { commit, files: listed } = await hubRevision({ ...options, endpoint });
  const files = chooseFiles(listed, options.repo, options.revision);
  const dir = hfRepoDir(options.root, options.repo, commit);
  const partialDir = hfRepoDir(join(options.root, '.partial'), options.repo, commit);
  await mkdir(dir, { recursive: true });
  await mkdir(partialDir, { recursive: true });

  const bytesTotal = files.reduce((sum, file) => sum + file.size, 0);
  const onDisk = new Map<string, number>();
  const fetched: HfDownload['files'] = [];
  for (const file of files) {
    options.signal?.throwIfAborted();
    const size = await fetchHubFile({
      url: `${endpoint}/${options.repo}/resolve/${commit}/${file.path.split('/').map(encodeURIComponent).join('/')}`,
      file,
      target: join(dir, file.path),
      partial: join(partialDir, file.path),
      token: options.token,
      signal: options.signal,
      retryDelaysMs: options.retryDelaysMs ?? RETRY_DELAYS_MS,
      report: (bytes) => {
        onDisk.set(file.path, bytes);
        const bytesDone = [...onDisk.values()].reduce((sum, n) => sum + n, 0);
        options.onProgress?.({ file: file.path, bytesDone, bytesTotal });
      },
      onRetry: (reason, delayMs) => options.onRetry?.(file.path, reason, delayMs),
    });
    fetched.push({ name: file.path, size });
  }
  await rm(partialDir, { recursive: true, force: true });
  return { dir, commit, files: fetched };
}

/** The files a conversion needs; a repository without them is refused, naming what it lacks. */
function chooseFiles(listed: readonly HubFile[], repo: string, revision: string): HubFile[] {
  const byName = new Map(listed.map((file) => [file.path, file]));
  const missing: string[] = REQUIRED.filter((name) => !byName.has(name));
  const weights = WEIGHTS.map((name) => byName.get(name)).find(Boolean);
  if (!weights) missing.push(WEIGHTS.join(' or '));
  if (missing.length > 0)
    throw new HfDownloadError(
      `${repo}@${revision} is not an image classifier the console can import: it has no ${missing.join(', ')}` +
        ` (it holds ${
          listed
            .map((file) => file.path)
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
