import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const TRAIN_SCRIPT = join(import.meta.dirname, '..', 'resources', 'trainer', 'train.py');

/** A Python that can import torch: TRAINER_PYTHON, Debian's /usr/bin/python3, or python3. */
export function findTorchPython(): string {
  const candidates = [process.env.TRAINER_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => Boolean(c));
  for (const candidate of candidates) {
    if (spawnSync(candidate, ['-c', 'import torch, torchvision'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  throw new Error(
    'No Python with PyTorch found: apt-get install python3-torch python3-torchvision (or set TRAINER_PYTHON).',
  );
}

export type TrainerEvent = { event: string } & Record<string, unknown>;

export interface TrainerRun {
  child: ChildProcess;
  events: TrainerEvent[];
  /** stdout lines that were not JSON (there must be none). */
  stray: string[];
  stderr: () => string;
  exit: Promise<number | null>;
  waitFor(event: string): Promise<TrainerEvent>;
}

/** Starts train.py and parses its stdout, one JSON event per line, as the console will. */
export function startTrainer(python: string, args: string[]): TrainerRun {
  const child = spawn(python, [TRAIN_SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const events: TrainerEvent[] = [];
  const stray: string[] = [];
  const waiters: { event: string; resolve: (e: TrainerEvent) => void }[] = [];
  let buffer = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      try {
        const event = JSON.parse(line) as TrainerEvent;
        events.push(event);
        for (const waiter of waiters.filter((w) => w.event === event.event)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      } catch {
        stray.push(line);
      }
    }
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    events,
    stray,
    stderr: () => stderr,
    exit,
    waitFor: (event) =>
      new Promise((resolve, reject) => {
        const seen = events.find((e) => e.event === event);
        if (seen) return resolve(seen);
        waiters.push({ event, resolve });
        void exit.then(() => reject(new Error(`train.py exited before "${event}": ${stderr.slice(-500)}`)));
      }),
  };
}
