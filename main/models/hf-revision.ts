/**
 * What a repository holds at a revision, asked through the official `@huggingface/hub` client at
 * our endpoint (settings: publish.hfEndpoint): the commit the revision names (`modelInfo`), then
 * that commit's files with their sizes, git blob ids and, for LFS files, SHA-256 (`listFiles`).
 */
import { HubApiError, listFiles, modelInfo } from '@huggingface/hub';
import { HfDownloadError } from './hf-download-error.js';

export interface HubFile {
  path: string;
  size: number;
  /** For a file kept in git: SHA-1 of "blob <size>\0" + its bytes. */
  blobId: string | null;
  /** For an LFS file: the SHA-256 of its bytes. */
  sha256: string | null;
}

export interface RevisionQuery {
  /** The Hub, without a trailing slash. */
  endpoint: string;
  repo: string;
  revision: string;
  token?: string | null;
  signal?: AbortSignal;
}

const COMMIT = /^[0-9a-f]{7,64}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const BLOB_ID = /^[0-9a-f]{40}$/;

export async function hubRevision(query: RevisionQuery): Promise<{ commit: string; files: HubFile[] }> {
  const { endpoint, repo, revision } = query;
  const common = {
    hubUrl: endpoint,
    accessToken: query.token ?? undefined,
    // The library's calls take no signal of their own: every request it makes gets ours.
    fetch: ((input, init) => fetch(input, { ...init, signal: query.signal })) as typeof fetch,
  };
  try {
    const { sha } = await modelInfo({ ...common, name: repo, revision, additionalFields: ['sha'] });
    if (typeof sha !== 'string' || !COMMIT.test(sha))
      throw new HfDownloadError(`${endpoint} did not describe ${repo} as the Hub does (no commit or file list).`);
    const files: HubFile[] = [];
    for await (const entry of listFiles({
      ...common,
      repo: { type: 'model', name: repo },
      revision: sha,
      recursive: true,
    })) {
      if (entry.type !== 'file') continue;
      const lfs = entry.lfs && SHA256.test(entry.lfs.oid) ? entry.lfs : null;
      files.push({
        path: entry.path,
        size: lfs?.size ?? entry.size,
        blobId: !lfs && entry.oid && BLOB_ID.test(entry.oid) ? entry.oid : null,
        sha256: lfs?.oid ?? null,
      });
    }
    return { commit: sha, files };
  } catch (error) {
    query.signal?.throwIfAborted();
    if (error instanceof HfDownloadError) throw error;
    if (error instanceof HubApiError) {
      if (error.statusCode === 401 || error.statusCode === 403)
        throw new HfDownloadError(
          `${repo} is private or gated on ${endpoint} (HTTP ${error.statusCode}): it needs a Hugging Face token with access to it.`,
        );
      if (error.statusCode === 404)
        throw new HfDownloadError(`${endpoint} has no repository ${repo} at revision ${revision}.`);
      throw new HfDownloadError(`${endpoint} answered HTTP ${error.statusCode} for ${repo}@${revision}.`);
    }
    if (error instanceof TypeError && error.message === 'fetch failed')
      throw new HfDownloadError(`The Hub at ${endpoint} cannot be reached: ${causeOf(error)}.`);
    // A body that is not JSON, or a listing shaped otherwise.
    throw new HfDownloadError(`${endpoint} did not describe ${repo} as the Hub does (${causeOf(error)}).`);
  }
}

export function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
