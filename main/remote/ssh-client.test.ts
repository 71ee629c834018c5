import { execFile } from 'node:child_process';
import { chmod, copyFile, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../tests/free-port.js';
import { useSshd } from '../../tests/ssh-suite.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { SshClient } from './ssh-client.js';
import { SshError, type SshFailureKind } from './ssh-errors.js';
import type { SshExit } from './ssh-stream.js';
import type { TrainerHost } from '../../shared/domain/trainer-host.js';

const tempDir = useTempDirs();
const ssh = useSshd();

async function failure(host: TrainerHost, sshClient = ssh.client): Promise<SshError> {
  const error = await sshClient.exec(host, 'echo should-not-run').then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof SshError)) throw new Error(`expected an SshError, got ${String(error)}`);
  return error;
}

function expectFailure(error: SshError, kind: SshFailureKind, message: RegExp): void {
  expect(error.kind).toBe(kind);
  expect(error.message).toMatch(message);
}

describe('SshClient.exec', () => {
  it('returns the remote stdout, stderr and exit status, and feeds stdin', async () => {
    const result = await ssh.client.exec(ssh.sshd.host, 'cat; echo oops >&2; exit 3', { stdin: 'from the console\n' });
    expect(result).toEqual({ code: 3, stdout: 'from the console\n', stderr: 'oops\n' });

    const streamed = await ssh.client.exec(ssh.sshd.host, 'wc -c', {
      stdin: Readable.from([Buffer.alloc(100_000, 1)]),
    });
    expect(streamed.stdout.trim()).toBe('100000');
  });

  it('a remote command that itself exits 255 is its status, not an ssh failure', async () => {
    expect(await ssh.client.exec(ssh.sshd.host, 'echo bye; exit 255')).toMatchObject({ code: 255, stdout: 'bye\n' });
  });

  it('stops a command that runs past its timeout, saying so', async () => {
    const error = await ssh.client.exec(ssh.sshd.host, 'sleep 10', { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SshError);
    expectFailure(error as SshError, 'command-timeout', /did not finish within 0\.3 s/);
  });

  it('stops a command when the caller aborts', async () => {
    const controller = new AbortController();
    const running = ssh.client.exec(ssh.sshd.host, 'sleep 10', { signal: controller.signal });
    // The operator cancels while the command runs: the delay is when they do, not a wait for I/O.
    setTimeout(() => controller.abort(new Error('operator cancelled')), 200);
    await expect(running).rejects.toThrow('operator cancelled');
  });
});

describe('ssh failures, in the operator’s terms', () => {
  it('connection refused', async () => {
    const error = await failure({ ...ssh.sshd.host, port: await freePort() });
    expectFailure(error, 'refused', /Nothing listens for SSH at 127\.0\.0\.1:\d+ \(connection refused\)/);
  });

  it('name not resolved', async () => {
    const error = await failure({ ...ssh.sshd.host, host: 'no-such-host.invalid' });
    expectFailure(error, 'unresolved', /"no-such-host\.invalid" could not be resolved/);
  });

  it('timed out: a port that accepts but never speaks SSH', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const impatient = new SshClient({ knownHostsPath: ssh.sshd.knownHostsPath, connectTimeoutSeconds: 1 });
      const error = await failure({ ...ssh.sshd.host, port }, impatient);
      expectFailure(error, 'timeout', /did not answer in time/);
    } finally {
      silent.close();
    }
  });

  it('permission denied (publickey): a key the host does not know', async () => {
    const stranger = join(await tempDir(), 'stranger');
    await promisify(execFile)('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
    const error = await failure({ ...ssh.sshd.host, keyFile: stranger });
    expectFailure(error, 'auth-failed', new RegExp(`refused the key ${stranger} \\(permission denied\\)`));
    expect(error.message).toContain('authorized_keys');
  });

  it('a key file that is missing, or readable by others', async () => {
    const missing = await failure({ ...ssh.sshd.host, keyFile: '/nonexistent/id_ed25519' });
    expectFailure(missing, 'key-file', /\/nonexistent\/id_ed25519 does not exist or cannot be read/);

    const loose = join(await tempDir(), 'loose_key');
    await copyFile(ssh.sshd.host.keyFile ?? '', loose);
    await chmod(loose, 0o644);
    const error = await failure({ ...ssh.sshd.host, keyFile: loose });
    expectFailure(error, 'key-file', /chmod 600/);
  });

  it('never puts private key material into a message', async () => {
    const key = await readFile(ssh.sshd.host.keyFile ?? '', 'utf8');
    const body = key.split('\n').filter((line) => line && !line.startsWith('-----'));
    const loose = join(await tempDir(), 'loose_key');
    await copyFile(ssh.sshd.host.keyFile ?? '', loose);
    await chmod(loose, 0o644);
    const errors = [await failure({ ...ssh.sshd.host, keyFile: loose }), await failure({ ...ssh.sshd.host, port: 1 })];
    for (const error of errors) {
      for (const line of body) {
        expect(error.message).not.toContain(line);
        expect(error.detail).not.toContain(line);
      }
    }
  });

  it('rejects a host whose user or address could be read as an ssh option', () => {
    expect(() => ssh.client.sshArgs({ ...ssh.sshd.host, user: '-oProxyCommand=touch /tmp/x' }, 'true')).toThrow(/user/);
    expect(() => ssh.client.sshArgs({ ...ssh.sshd.host, host: '-oProxyCommand=x' }, 'true')).toThrow(/host/);
  });
});

describe('SshClient.spawnStream', () => {
  it('delivers stdout line by line and the exit status', async () => {
    const stream = ssh.client.spawnStream(
      ssh.sshd.host,
      'for i in 1 2 3; do echo "step $i"; done; printf tail; exit 4',
    );
    const lines: string[] = [];
    stream.on('line', (line) => lines.push(line));
    const exit = await new Promise<SshExit>((resolve) => stream.once('exit', resolve));
    expect(lines).toEqual(['step 1', 'step 2', 'step 3', 'tail']);
    expect(exit).toMatchObject({ code: 4, error: null });
  });

  it('reports a dropped link as lost, not as the command failing', async () => {
    const stream = ssh.client.spawnStream(ssh.sshd.host, 'echo started; sleep 10');
    await new Promise<void>((resolve) => stream.on('line', (line) => line === 'started' && resolve()));
    expect(await ssh.sshd.dropConnections()).toBeGreaterThan(0);
    const exit = await stream.exited;
    expect(exit.code).toBeNull();
    expect(exit.error).toBeInstanceOf(SshError);
    expect((exit.error as SshError).kind).toBe('disconnected');
    expect(exit.error?.message).toMatch(/connection to .* was lost/);
    // The listener survived: a new connection works.
    expect((await ssh.client.exec(ssh.sshd.host, 'echo back')).stdout).toBe('back\n');
  });
});
