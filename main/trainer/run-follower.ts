/**
 * Watches a detached run on the box over one long ssh command (remote-run.ts's follow script),
 * reconnecting with backoff when the link drops. Each (re)attach starts after the lines the
 * console already holds, so a drop loses and duplicates nothing.
 */
import { followCommand } from '../remote/remote-run.js';
import { pause, retryDelay } from '../base/retry.js';
import { isTransientLinkFailure } from '../remote/link-retry.js';
import type { SshClient } from '../remote/ssh-client.js';
import { SshError } from '../remote/ssh-errors.js';
import type { TrainerHost } from '../../shared/domain/trainer-host.js';
import type { RunGpu } from '../../shared/domain/training.js';

export type FollowOutcome =
  | { kind: 'exited'; code: number; errorLine: string | null }
  | { kind: 'lost' }
  | { kind: 'refused'; error: Error }
  | { kind: 'stopped' };

export interface FollowHandlers {
  /** Where to start: the lines already taken in (read afresh at each attach). */
  position(): { metricsLines: number; logLines: number };
  /** New lines of metrics.jsonl, numbered from 1 as in the file; written before the next batch comes. */
  metrics(lines: { line: number; text: string }[]): void;
  log(lines: string[]): void;
  gpu(gpu: RunGpu): void;
  /** Connected (again): the place to send a stop that waited for the link. */
  attached(reattach: boolean): Promise<void> | void;
  linkDown(error: Error, retryInMs: number, attempt: number): void;
}

export interface FollowTiming {
  pollSeconds: number;
  gpuEveryPolls: number;
  retryDelaysMs: readonly number[];
}

export interface FollowTarget {
  ssh: SshClient;
  host: TrainerHost;
  runDir: string;
  /** The job's JSON-lines file in RUN (EVENTS_FILE). */
  eventsFile: string;
}

export async function followRun(
  target: FollowTarget,
  handlers: FollowHandlers,
  timing: FollowTiming,
  signal: AbortSignal,
): Promise<FollowOutcome> {
  let failures = 0;
  for (let attach = 0; !signal.aborted; attach += 1) {
    const result = await followOnce(target, handlers, timing, signal, attach > 0, () => (failures = 0));
    if (result.kind !== 'dropped') return result;
    if (signal.aborted) break;
    const delay = retryDelay(timing.retryDelaysMs, failures);
    failures += 1;
    handlers.linkDown(result.error, delay, failures);
    await pause(delay, signal);
  }
  return { kind: 'stopped' };
}

type Attempt = FollowOutcome | { kind: 'dropped'; error: Error };

async function followOnce(
  { ssh, host, runDir, eventsFile }: FollowTarget,
  handlers: FollowHandlers,
  timing: FollowTiming,
  signal: AbortSignal,
  reattach: boolean,
  onAlive: () => void,
): Promise<Attempt> {
  const from = handlers.position();
  const stream = ssh.spawnStream(
    host,
    followCommand(runDir, eventsFile, from, timing.pollSeconds, timing.gpuEveryPolls),
  );
  const onAbort = () => stream.kill();
  signal.addEventListener('abort', onAbort, { once: true });
  let nextLine = from.metricsLines + 1;
  const metrics: { line: number; text: string }[] = [];
  const logLines: string[] = [];
  let ended: FollowOutcome | null = null;
  let errorLine: string | null = null;
  let alive = false;
  let attached = Promise.resolve();
  // Lines come in bursts (a catch-up after a reattach): one transaction per burst, not per line.
  let flushing = false;
  const flush = () => {
    flushing = false;
    if (metrics.length > 0) handlers.metrics(metrics.splice(0));
    if (logLines.length > 0) handlers.log(logLines.splice(0));
  };
  stream.on('line', (raw) => {
    if (!alive) {
      alive = true;
      onAlive();
      attached = Promise.resolve(handlers.attached(reattach)).catch(() => undefined);
    }
    const tag = raw.slice(0, 2);
    const text = raw.slice(2);
    if (tag === 'm ') metrics.push({ line: nextLine++, text });
    else if (tag === 'l ') logLines.push(text);
    else if (tag === 'g ') {
      const gpu = parseGpu(text);
      if (gpu) handlers.gpu(gpu);
    } else if (tag === 'e ') errorLine = text;
    else if (tag === 'x ') ended = { kind: 'exited', code: Number(text.trim()), errorLine };
    else if (raw === 'lost') ended = { kind: 'lost' };
    if (!flushing) {
      flushing = true;
      setImmediate(flush);
    }
  });
  const exit = await stream.exited;
  signal.removeEventListener('abort', onAbort);
  flush();
  await attached;
  if (ended) return ended;
  if (signal.aborted) return { kind: 'stopped' };
  const error =
    exit.error ?? new SshError('disconnected', `The watch on ${runDir} ended early (${describeExit(exit)}).`);
  if (exit.error && !isTransientLinkFailure(exit.error)) return { kind: 'refused', error: exit.error };
  return { kind: 'dropped', error };
}

function describeExit(exit: { code: number | null; signal: string | null }): string {
  return exit.signal ? `signal ${exit.signal}` : `exit status ${exit.code ?? '?'}`;
}

/** "NVIDIA GeForce RTX 4090, 97, 20011, 24564" (nounits); "[N/A]" reads as unknown. */
export function parseGpu(line: string): RunGpu | null {
  const parts = line.split(',').map((part) => part.trim());
  if (parts.length < 4 || !parts[0]) return null;
  const number = (text: string | undefined) => {
    const value = Number(text);
    return text !== undefined && text !== '' && Number.isFinite(value) && value >= 0 ? value : null;
  };
  const utilization = number(parts[1]);
  return {
    name: parts[0],
    utilizationPercent: utilization === null ? null : Math.min(100, utilization),
    memoryUsedMiB: number(parts[2]),
    memoryTotalMiB: number(parts[3]),
  };
}
