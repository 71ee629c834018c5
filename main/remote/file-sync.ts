import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { moveIntoPlaceDurably } from '../base/durable-file.js';
import { localManifest, remoteManifest, type LocalEntry } from './file-manifest.js';
import { quoteRemotePath } from './shell-quote.js';
import type { SshClient } from './ssh-client.js';
import { SshError } from './ssh-errors.js';
import { tarStream } from './tar-writer.js';
import { describeHost, type TrainerHost } from '../../shared/domain/trainer-host.js';

export interface PushOptions {
  /** Remove remote files that are not in the local folder (off unless asked). */
  deleteExtraneous?: boolean;
}

export interface PushResult {
  filesSent: number;
  /** Bytes of file content sent (what changed), the figure the operator reads. */
  bytesSent: number;
  /** Bytes on the wire before ssh's encryption: content plus tar headers and padding. */
  archiveBytes: number;
  filesUnchanged: number;
  filesDeleted: number;
}

/**
 * Makes `remoteDir` hold what `localDir` holds, sending only files whose size or SHA-256 differ:
 * one round trip for the remote manifest, one tar stream over ssh for the changes.
 */
export async function pushFolder(
  client: SshClient,
  host: TrainerHost,
  localDir: string,
  remoteDir: string,
  options: PushOptions = {},
): Promise<PushResult> {
  const [local, remote] = await Promise.all([localManifest(localDir), remoteManifest(client, host, remoteDir)]);
  const remoteByPath = new Map(remote.map((entry) => [entry.path, entry]));
  const changed = local.filter((entry) => {
    const there = remoteByPath.get(entry.path);
    return !there || there.size !== entry.size || there.sha256 !== entry.sha256;
  });
  const localPaths = new Set(local.map((entry) => entry.path));
  const extraneous = options.deleteExtraneous ? remote.filter((entry) => !localPaths.has(entry.path)) : [];

  const archiveBytes = changed.length > 0 ? await sendArchive(client, host, remoteDir, changed) : 0;
  if (extraneous.length > 0)
    await deleteRemote(
      client,
      host,
      remoteDir,
      extraneous.map((entry) => entry.path),
    );
  return {
    filesSent: changed.length,
    bytesSent: changed.reduce((sum, entry) => sum + entry.size, 0),
    archiveBytes,
    filesUnchanged: local.length - changed.length,
    filesDeleted: extraneous.length,
  };
}

async function sendArchive(
  client: SshClient,
  host: TrainerHost,
  remoteDir: string,
  files: LocalEntry[],
): Promise<number> {
  const dir = quoteRemotePath(remoteDir);
  // -o: files belong to the remote user, not to uid 0 as the archive says.
  const child = client.spawn(host, `mkdir -p ${dir} && tar -x -o -f - -C ${dir}`, ['pipe', 'ignore', 'pipe']);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const closed = exitOf(child);
  let archiveBytes = 0;
  async function* counted(source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      archiveBytes += chunk.length;
      yield chunk;
    }
  }
  const tarEntries = files.map((file) => ({
    name: file.path,
    source: file.source,
    size: file.size,
    mode: file.mode,
    mtimeSeconds: file.mtimeSeconds,
  }));
  if (!child.stdin) throw new Error('ssh was started without a stdin to send the archive on.');
  const sent = await pipeline(counted(tarStream(tarEntries)), child.stdin).then(
    () => null,
    (error: NodeJS.ErrnoException) => error,
  );
  const code = await closed;
  // A local failure (a file that changed while read) is the story even though the remote tar then
  // complains about a truncated archive; a broken pipe is not: the remote tar stopped reading
  // (disk full) and its stderr says why.
  if (sent && !BROKEN_PIPE.has(sent.code ?? '')) throw sent;
  if (code === 0 && !sent) return archiveBytes;
  if (code === 255) {
    const failure = await client.failure(host, stderr);
    if (failure) throw failure;
  }
  if (code !== 0) throw new Error(writeFailure(host, remoteDir, stderr));
  throw sent ?? new Error(`Sending to ${remoteDir} on ${describeHost(host)} failed.`);
}

async function deleteRemote(client: SshClient, host: TrainerHost, remoteDir: string, paths: string[]): Promise<void> {
  const result = await client.exec(host, `cd ${quoteRemotePath(remoteDir)} && xargs -0 rm -f --`, {
    stdin: paths.map((path) => `${path}\0`).join(''),
  });
  if (result.code !== 0) throw new Error(writeFailure(host, remoteDir, result.stderr));
}

/**
 * The remote side's reason for not writing, in the operator's terms (first matching cause wins).
 * GNU tar reports a full disk as a short write ("Wrote only 4608 of 10240 bytes"), without errno.
 */
export function writeFailure(host: TrainerHost, remoteDir: string, stderr: string): string {
  const where = `${remoteDir} on ${describeHost(host)}`;
  const first = stderr.trim().split('\n')[0] ?? '';
  if (/No space left on device|Disk quota exceeded|Wrote only \d+ of \d+ bytes/.test(stderr))
    return `The remote disk is full: could not write into ${where} (${first}).`;
  if (/Read-only file system/.test(stderr)) return `${where} is on a read-only file system (${first}).`;
  if (/Permission denied|Operation not permitted/.test(stderr))
    return `No permission to write into ${where} as ${host.user} (${first}).`;
  if (/Not a directory|File exists/.test(stderr))
    return `A file stands where a folder of ${where} should be (${first}).`;
  if (/cannot create directory|No such file or directory/.test(stderr))
    return `Could not create the folder ${where} (${first}).`;
  return `Could not write into ${where}: ${first || 'the remote tar failed'}.`;
}

/**
 * Fetches one remote file into `localPath`: written beside it, size-checked, fsynced, renamed over
 * it, so a dropped link never leaves a truncated checkpoint under the real name.
 */
export async function pullFile(
  client: SshClient,
  host: TrainerHost,
  remotePath: string,
  localPath: string,
): Promise<{ bytes: number }> {
  const file = quoteRemotePath(remotePath);
  // The size goes first, on its own line, so the copy can be checked against it.
  const command = `if [ ! -f ${file} ]; then echo "no such file" >&2; exit 3; fi; wc -c < ${file} && exec cat ${file}`;
  await mkdir(dirname(localPath), { recursive: true });
  const partial = join(dirname(localPath), `.${basename(localPath)}.${process.pid}.partial`);
  const child = client.spawn(host, command, ['ignore', 'pipe', 'pipe']);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const closed = exitOf(child);
  let expected: number | null = null;
  let header = Buffer.alloc(0);
  async function* body(source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      if (expected !== null) {
        yield chunk;
        continue;
      }
      header = Buffer.concat([header, chunk]);
      const newline = header.indexOf(0x0a);
      if (newline < 0) continue;
      expected = Number(header.subarray(0, newline).toString('ascii').trim());
      if (newline + 1 < header.length) yield header.subarray(newline + 1);
    }
  }
  try {
    if (!child.stdout) throw new Error('ssh was started without a stdout to receive the file on.');
    const written = await pipeline(child.stdout, body, createWriteStream(partial)).then(
      () => null,
      (error: Error) => error,
    );
    const code = await closed;
    if (code === 3) throw new Error(`${remotePath} does not exist on ${describeHost(host)} (or is not a file).`);
    if (code === 255) throw (await client.failure(host, stderr)) ?? new SshError('ssh-failed', stderr.trim());
    if (code !== 0) throw new Error(`Could not read ${remotePath} on ${describeHost(host)}: ${stderr.trim()}`);
    if (written) throw written;
    const { size } = await stat(partial);
    if (expected === null || size !== expected) {
      throw new Error(`${remotePath} arrived incomplete (${size} of ${expected ?? '?'} bytes); pull it again.`);
    }
    await moveIntoPlaceDurably(partial, localPath);
    return { bytes: size };
  } finally {
    await rm(partial, { force: true });
  }
}

const BROKEN_PIPE = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_PREMATURE_CLOSE']);

/** The exit status; a failure to start at all (no ssh) rejects, and is handled even if awaited late. */
function exitOf(child: ChildProcess): Promise<number | null> {
  const closed = once(child, 'close').then(([code]) => code as number | null);
  closed.catch(() => undefined);
  return closed;
}
