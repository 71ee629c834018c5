/**
 * Uploads a folder's files to a Hub model repo in one commit: the repo created if missing, the
 * Hub asked which files go through LFS, those uploaded by the LFS batch API (basic, or in parts
 * for large objects), then the commit naming small files inline and LFS files by sha256 oid.
 *
 * Resumable: a dropped link retries with backoff; each retry asks the LFS server again, which
 * leaves out the objects (and the multipart parts) it already holds, so those are not sent again.
 */
import { createHash } from 'node:crypto';
import type { HubClient, LfsAction } from './hub-client.js';
import { HubError } from './hub-client.js';
import type { ResumeState } from './resume-state.js';

export interface FileToUpload {
  path: string;
  content: Buffer;
}

export interface UploadProgress {
  step: string;
  sentBytes: number;
  totalBytes: number;
  resumedBytes: number;
}

export interface UploadOptions {
  client: HubClient;
  repo: string;
  files: FileToUpload[];
  summary: string;
  resume: ResumeState;
  onProgress: (progress: UploadProgress) => void;
  /** Tries of the transfer before giving up (a dropped link is retried). */
  attempts?: number;
  retryDelayMs?: number;
}

interface LfsFile extends FileToUpload {
  oid: string;
}

export async function uploadToHub(options: UploadOptions): Promise<{ commitUrl: string | null }> {
  const { client, repo, files, resume } = options;
  const totalBytes = files.reduce((sum, file) => sum + file.content.length, 0);
  let done = 0;
  let inFlight = 0;
  let resumedBytes = 0;
  const report = (step: string): void =>
    options.onProgress({ step, sentBytes: Math.min(totalBytes, done + inFlight), totalBytes, resumedBytes });

  report(`Creating ${repo} if it is missing…`);
  await client.ensureRepo(repo);
  const modes = await client.preupload(
    repo,
    files.map((file) => ({
      path: file.path,
      size: file.content.length,
      sample: file.content.subarray(0, 512).toString('base64'),
    })),
  );
  const lfs: LfsFile[] = files
    .filter((file) => modes.get(file.path) === 'lfs')
    .map((file) => ({ ...file, oid: createHash('sha256').update(file.content).digest('hex') }));
  const regular = files.filter((file) => modes.get(file.path) !== 'lfs');

  const sent = new Set<string>();
  // What the objects finished so far account for; a retry recounts the rest from the server's answer.
  let settled = { done: 0, resumed: 0 };
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    ({ done, resumed: resumedBytes } = settled);
    try {
      const pending = lfs.filter((file) => !sent.has(file.oid));
      if (pending.length === 0) break;
      const batch = await client.lfsBatch(
        repo,
        pending.map(({ oid, content }) => ({ oid, size: content.length })),
      );
      for (const file of pending) {
        const answer = batch.objects.find((object) => object.oid === file.oid);
        if (answer?.error) throw new HubError(answer.error.code, `${file.path}: ${answer.error.message}`);
        const upload = answer?.actions?.upload;
        if (!upload) {
          // The server holds it already (an earlier attempt sent it whole).
          resumedBytes += file.content.length;
          done += file.content.length;
          report(`${file.path} is on the Hub already`);
        } else if (batch.transfer === 'multipart' && upload.header?.chunk_size) {
          await sendInParts(file, upload);
        } else {
          report(`Uploading ${file.path}…`);
          await client.put(upload.href, upload.header ?? {}, file.content, (bytes) => {
            inFlight += bytes;
            report(`Uploading ${file.path}…`);
          });
          inFlight = 0;
          done += file.content.length;
        }
        const verify = answer?.actions?.verify;
        if (upload && verify) await client.postAction(verify, { oid: file.oid, size: file.content.length });
        sent.add(file.oid);
        settled = { done, resumed: resumedBytes };
      }
    } catch (error) {
      inFlight = 0;
      if (!(error instanceof HubError) || !error.retryable || attempt >= attempts) throw error;
      report(`The link dropped (${error.message}); resuming, try ${attempt + 1} of ${attempts}…`);
      await new Promise((resolve) => setTimeout(resolve, (options.retryDelayMs ?? 1000) * 2 ** (attempt - 1)));
    }
  }

  async function sendInParts(file: LfsFile, upload: LfsAction): Promise<void> {
    const header = upload.header ?? {};
    const chunkSize = Number(header.chunk_size);
    if (!Number.isInteger(chunkSize) || chunkSize <= 0)
      throw new HubError(200, `${file.path}: the Hub gave no usable chunk size`);
    const count = Math.ceil(file.content.length / chunkSize);
    const parts: { partNumber: number; etag: string }[] = [];
    for (let part = 1; part <= count; part++) {
      const chunk = file.content.subarray((part - 1) * chunkSize, part * chunkSize);
      const url = header[String(part).padStart(5, '0')];
      if (url === undefined) {
        // Left out by the server: it holds this part from an earlier attempt, whose ETag we kept.
        const etag = resume.etag(file.oid, part);
        if (etag === null)
          throw new HubError(200, `${file.path}: the Hub gave no URL for part ${part} and none was sent before`);
        parts.push({ partNumber: part, etag });
        resumedBytes += chunk.length;
        done += chunk.length;
        continue;
      }
      const step = `Uploading ${file.path}, part ${part} of ${count}…`;
      report(step);
      const etag = await client.put(url, {}, chunk, (bytes) => {
        inFlight += bytes;
        report(step);
      });
      inFlight = 0;
      if (etag === null) throw new HubError(200, `${file.path}: the storage gave no ETag for part ${part}`);
      await resume.recordPart(file.oid, part, etag);
      parts.push({ partNumber: part, etag });
      done += chunk.length;
    }
    report(`Completing ${file.path}…`);
    await client.postAction(upload, { oid: file.oid, parts });
  }

  report('Committing…');
  const result = await client.commit(repo, [
    { key: 'header', value: { summary: options.summary, description: '' } },
    ...regular.map((file) => ({
      key: 'file',
      value: { path: file.path, content: file.content.toString('base64'), encoding: 'base64' },
    })),
    ...lfs.map((file) => ({
      key: 'lfsFile',
      value: { path: file.path, algo: 'sha256', oid: file.oid, size: file.content.length },
    })),
  ]);
  done += regular.reduce((sum, file) => sum + file.content.length, 0);
  await resume.clear();
  report('Published.');
  return result;
}
