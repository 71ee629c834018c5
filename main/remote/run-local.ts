import { spawn } from 'node:child_process';

export interface LocalResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one of the OpenSSH helper programs on this machine (ssh-keyscan, ssh-keygen) and collects
 * its output. A missing program becomes an operator message, not a bare ENOENT.
 */
export function runLocal(program: string, args: readonly string[], input?: string): Promise<LocalResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new Error(`${program} is not installed on this machine; install the OpenSSH client (openssh-client).`)
          : error,
      );
    });
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined); // the program may exit without reading it all
    child.stdin.end(input ?? '');
  });
}
