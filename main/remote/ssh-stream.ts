import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { SshError } from './ssh-errors.js';

export interface SshExit {
  /** The remote command's exit status; null when ssh was killed or failed. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when ssh itself failed (the link dropped, the key was refused). */
  error: Error | null;
}

/**
 * An ssh process whose stdout is read as lines, for long-running remote commands (a training log
 * tail). Emits 'line' per stdout line, 'stderr-line' per stderr line, and 'exit' once.
 */
export class SshStream extends EventEmitter<{ line: [string]; 'stderr-line': [string]; exit: [SshExit] }> {
  /** Settles with the same value as the 'exit' event, for callers that await instead of listen. */
  readonly exited: Promise<SshExit>;
  private stderrText = '';

  constructor(
    readonly child: ChildProcess,
    classify: (stderr: string) => Promise<SshError | null>,
    spawnFailure: (error: NodeJS.ErrnoException) => Error,
  ) {
    super();
    splitLines(child.stdout, (line) => this.emit('line', line));
    splitLines(child.stderr, (line) => {
      this.stderrText += `${line}\n`;
      this.emit('stderr-line', line);
    });
    this.exited = new Promise((resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, error: spawnFailure(error) }));
      child.once('close', (code, signal) => {
        if (code !== 255) return resolve({ code, signal, error: null });
        classify(this.stderrText).then(
          (error) => resolve({ code: error ? null : code, signal, error }),
          (error: Error) => resolve({ code: null, signal, error }),
        );
      });
    });
    void this.exited.then((exit) => this.emit('exit', exit));
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** Stops the local ssh; the remote command then loses its pipes (it keeps running if detached). */
  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.child.kill(signal);
  }
}

function splitLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line.replace(/\r$/, ''));
  });
  stream.on('end', () => {
    if (pending) onLine(pending.replace(/\r$/, ''));
    pending = '';
  });
}
