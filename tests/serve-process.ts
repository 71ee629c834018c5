import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const SERVE = join(import.meta.dirname, '..', 'main', 'serve.ts');

export interface ServeProcess {
  readonly child: ChildProcess;
  /** The URL it printed, token included. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly exit: Promise<number | null>;
  stdout(): string;
  stderr(): string;
  alive(): boolean;
}

export interface ServeRun {
  readonly child: ChildProcess;
  readonly exit: Promise<number | null>;
  stdout(): string;
  stderr(): string;
}

/**
 * `npm run serve`'s program from source (no build needed), as its own process: what happens to
 * the process (a crash, an exit code, a SIGKILL) is what the test is about. Killed after each test.
 */
export function useServeProcesses(): {
  run(args: string[]): ServeRun;
  start(dataDir: string, args?: string[]): Promise<ServeProcess>;
} {
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

  const run = (args: string[]): ServeRun => {
    const child = spawn(process.execPath, ['--import', 'tsx', SERVE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, exit, stdout: () => stdout, stderr: () => stderr };
  };

  const start = async (dataDir: string, args: string[] = []): Promise<ServeProcess> => {
    const running = run(['--port', '0', '--data-dir', dataDir, ...args]);
    const url = await new Promise<string>((resolve, reject) => {
      const look = (): void => {
        const match = /StreetVision console: (http:\/\/\S+)/.exec(running.stdout());
        if (match) resolve(match[1]!);
      };
      running.child.stdout!.on('data', look);
      void running.exit.then((code) => reject(new Error(`serve exited with ${code}: ${running.stderr()}`)));
    });
    const parsed = new URL(url);
    return {
      ...running,
      url,
      port: Number(parsed.port),
      token: parsed.searchParams.get('token')!,
      alive: () => running.child.exitCode === null && running.child.signalCode === null,
    };
  };

  return { run, start };
}
