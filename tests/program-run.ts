import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';

/** One of our programs running as its own process, its output collected as it comes. */
export interface ProgramRun {
  readonly child: ChildProcess;
  /** Its exit code; null when a signal ended it. */
  readonly exit: Promise<number | null>;
  stdout(): string;
  stderr(): string;
}

/**
 * Runs one of our TypeScript programs from source (`node --import tsx`, no build needed) as its
 * own process, for tests about what happens to the process (its output, an exit code, a crash,
 * a signal). Whatever still runs after a test is killed (SIGKILL).
 */
export function useProgramRuns(script: string): (args: string[]) => ProgramRun {
  const children: ChildProcess[] = [];
  afterEach(async () => {
    await Promise.all(
      children.splice(0).map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
  });
  return (args) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, exit, stdout: () => stdout, stderr: () => stderr };
  };
}
