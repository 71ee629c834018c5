import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { Readable } from 'node:stream';
import { hostKeyChangedMessage, knownHostKeys, knownHostsName } from './known-hosts.js';
import { classifySshFailure, presentedFingerprint, SshError } from './ssh-errors.js';
import { SshStream } from './ssh-stream.js';
import { describeHost, TrainerHostSchema, type TrainerHost } from '../../shared/domain/trainer-host.js';

export interface SshClientOptions {
  /** The console's own known_hosts; the operator's ~/.ssh/known_hosts is never consulted. */
  knownHostsPath: string;
  /** ssh's ConnectTimeout (also bounds the banner exchange). */
  connectTimeoutSeconds?: number;
  sshPath?: string;
}

export interface ExecOptions {
  stdin?: string | Buffer | Readable;
  /** Kills the local ssh after this long; the remote command may outlive it (no tty, no SIGHUP). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ExecResult {
  /** The remote command's exit status. */
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs commands on a TrainerHost through the system OpenSSH client. Non-interactive throughout
 * (BatchMode): an unknown or changed host key, or a key that needs a passphrase, fails with a
 * message instead of a prompt nobody can see. The key file is passed by path; the console never
 * reads it.
 */
export class SshClient {
  /** The OpenSSH client program (a terminal runs it under a pty). */
  readonly sshPath: string;
  private readonly connectTimeout: number;

  constructor(private readonly options: SshClientOptions) {
    this.sshPath = options.sshPath ?? '/usr/bin/ssh';
    this.connectTimeout = options.connectTimeoutSeconds ?? 10;
  }

  /** The full argv for ssh: `command` is one string, already quoted for the remote sh. */
  sshArgs(host: TrainerHost, command: string): string[] {
    const connection = this.connectionArgs(host, '-T');
    if (command.trim() === '') throw new Error('No remote command given (an empty one would open a shell).');
    return [...connection, '--', command];
  }

  /**
   * The argv for an interactive login shell on the host (a terminal): the same checks as every
   * other connection, with a remote tty forced (-tt) because the local side is a pty.
   */
  interactiveArgs(host: TrainerHost): string[] {
    return this.connectionArgs(host, '-tt');
  }

  private connectionArgs(host: TrainerHost, ttyFlag: '-T' | '-tt'): string[] {
    const parsed = TrainerHostSchema.safeParse(host);
    if (!parsed.success) {
      throw new Error(
        `Invalid trainer host: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      );
    }
    const option = (setting: string) => ['-o', setting];
    return [
      ...option('BatchMode=yes'),
      ...option('StrictHostKeyChecking=yes'),
      ...option(`UserKnownHostsFile=${this.options.knownHostsPath}`),
      ...option('GlobalKnownHostsFile=/dev/null'),
      ...option(`ConnectTimeout=${this.connectTimeout}`),
      ...option('ServerAliveInterval=5'),
      ...option('ServerAliveCountMax=3'),
      ttyFlag,
      '-p',
      String(host.port),
      ...(host.keyFile ? ['-i', host.keyFile, ...option('IdentitiesOnly=yes')] : []),
      `${host.user}@${host.host}`,
    ];
  }

  /** A raw ssh process, for callers that stream bytes (file transfer). Check failures with `failure`. */
  spawn(host: TrainerHost, command: string, stdio: StdioOptions = ['ignore', 'pipe', 'pipe']): ChildProcess {
    return spawn(this.sshPath, this.sshArgs(host, command), { stdio });
  }

  /** Runs `command` to completion. Rejects with an SshError when ssh itself failed. */
  exec(host: TrainerHost, command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const { stdin, timeoutMs, signal } = options;
    return new Promise((resolve, reject) => {
      signal?.throwIfAborted();
      const child = this.spawn(host, command, [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']);
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let timedOut = false;
      child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
      const timer =
        timeoutMs === undefined ? undefined : setTimeout(() => ((timedOut = true), child.kill()), timeoutMs);
      const onAbort = () => child.kill();
      signal?.addEventListener('abort', onAbort, { once: true });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(spawnFailure(this.sshPath, error));
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const err = Buffer.concat(stderr).toString('utf8');
        const result = { code: code ?? -1, stdout: Buffer.concat(stdout).toString('utf8'), stderr: err };
        if (signal?.aborted) return reject(signal.reason as Error);
        if (timedOut) {
          const seconds = Math.round((timeoutMs ?? 0) / 100) / 10;
          return reject(
            new SshError('command-timeout', `The command on ${describeHost(host)} did not finish within ${seconds} s.`),
          );
        }
        if (code !== 255) return resolve(result);
        this.failure(host, err).then((failure) => (failure ? reject(failure) : resolve(result)), reject);
      });
      if (child.stdin) {
        // ssh may exit before reading all of stdin (a failed login): that is reported by 'close'.
        child.stdin.on('error', () => undefined);
        if (stdin instanceof Readable) stdin.pipe(child.stdin);
        else child.stdin.end(stdin);
      }
    });
  }

  /** A long-running command (a log tail) whose stdout arrives line by line. */
  spawnStream(host: TrainerHost, command: string): SshStream {
    const child = this.spawn(host, command);
    return new SshStream(
      child,
      (stderr) => this.failure(host, stderr),
      (error) => spawnFailure(this.sshPath, error),
    );
  }

  /**
   * ssh's failure behind an exit status of 255, as an SshError; null when stderr is not ssh's (the
   * remote command itself exited 255). A changed host key is named by both fingerprints.
   */
  async failure(host: TrainerHost, stderr: string): Promise<SshError | null> {
    const failure = classifySshFailure(host, stderr);
    if (failure?.kind !== 'host-key-changed') return failure;
    const presented = presentedFingerprint(stderr) ?? 'an unknown key';
    const type = /for the (\S+) key sent/.exec(stderr)?.[1]?.toLowerCase() ?? '';
    const trusted = await knownHostKeys(this.options.knownHostsPath, host.host, host.port);
    const expected = (trusted.find((key) => type && key.type.includes(type)) ?? trusted[0])?.fingerprint ?? 'none';
    const message = hostKeyChangedMessage(knownHostsName(host.host, host.port), expected, presented);
    return new SshError('host-key-changed', message, failure.detail);
  }
}

export function spawnFailure(program: string, error: NodeJS.ErrnoException): Error {
  if (error.code === 'ENOENT')
    return new Error(`${program} is not installed on this machine; install the OpenSSH client.`);
  return error;
}
