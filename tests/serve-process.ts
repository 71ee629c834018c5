import { join } from 'node:path';
import { useProgramRuns, type ProgramRun } from './program-run.js';

const SERVE = join(import.meta.dirname, '..', 'main', 'serve.ts');

export type ServeRun = ProgramRun;

export interface ServeProcess extends ServeRun {
  /** The URL it printed, token included. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  alive(): boolean;
}

/**
 * `npm run serve`'s program from source (no build needed), as its own process: what happens to
 * the process (a crash, an exit code, a SIGKILL) is what the test is about. Killed after each test.
 */
export function useServeProcesses(): {
  run(args: string[]): ServeRun;
  start(dataDir: string, args?: string[]): Promise<ServeProcess>;
} {
  const run = useProgramRuns(SERVE);

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
