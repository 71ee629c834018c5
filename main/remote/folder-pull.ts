import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { quoteRemotePath } from './shell-quote.js';
import type { SshClient } from './ssh-client.js';
import { SshError } from './ssh-errors.js';
import { describeHost, type TrainerHost } from '../../shared/domain/trainer-host.js';

/**
 * Fetches the regular files of a remote folder (no links, no devices) into `localDir` as one tar
 * stream over ssh, unpacked by this machine's tar: a generated set of hundreds of images in one
 * round trip. The remote tar's failure, ssh's, and the local tar's are each told apart.
 */
export async function pullFolder(
  client: SshClient,
  host: TrainerHost,
  remoteDir: string,
  localDir: string,
): Promise<void> {
  await mkdir(localDir, { recursive: true });
  const remote = client.spawn(
    host,
    `cd ${quoteRemotePath(remoteDir)} && find . -type f -print0 | tar --null -T - -cf -`,
    ['ignore', 'pipe', 'pipe'],
  );
  const local = spawn('tar', ['-xf', '-', '-C', localDir, '--no-same-owner'], { stdio: ['pipe', 'ignore', 'pipe'] });
  let remoteErr = '';
  let localErr = '';
  remote.stderr?.setEncoding('utf8').on('data', (chunk: string) => (remoteErr += chunk));
  local.stderr?.setEncoding('utf8').on('data', (chunk: string) => (localErr += chunk));
  local.stdin?.on('error', () => undefined); // the local tar failed: its exit status says why
  remote.stdout?.pipe(local.stdin);
  const exited = (child: ReturnType<typeof spawn>) =>
    once(child, 'close').then(
      ([code]) => code as number | null,
      (error: Error) => error,
    );
  const [remoteCode, localCode] = await Promise.all([exited(remote), exited(local)]);
  if (remoteCode instanceof Error) throw remoteCode;
  if (remoteCode === 255) throw (await client.failure(host, remoteErr)) ?? new SshError('ssh-failed', remoteErr.trim());
  if (remoteCode !== 0) {
    throw new Error(
      `Could not read ${remoteDir} on ${describeHost(host)}: ${remoteErr.trim() || `exit ${remoteCode}`}`,
    );
  }
  if (localCode instanceof Error) throw new Error(`tar is not available on this machine: ${localCode.message}`);
  if (localCode !== 0) throw new Error(`Could not unpack ${remoteDir} into ${localDir}: ${localErr.trim()}`);
}
