import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { jpegClaiming } from '../../tests/image-bombs.js';
import { useInferenceServices, useStreetImages } from '../../tests/inference-fixture.js';
import type { InferenceOptions, InferenceState } from './inference-service.js';
import { childProcessHandle } from '../base/child-handle.js';
import { forkWorker, type WorkerLauncher } from './worker-launcher.js';

const inference = useInferenceServices();
const images = useStreetImages(4);

const start = (options: InferenceOptions = {}, launch: WorkerLauncher = forkWorker) =>
  inference.start({ options, launch });

/** A process's resident memory as the kernel counts it, in MB. */
async function residentMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
  return kb / 1024;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Launches the real worker, except launches `from`..`to` (1-based): a real process that exits at once. */
function failingLaunches(from: number, to: number): { launch: WorkerLauncher; count: () => number } {
  let launches = 0;
  return {
    count: () => launches,
    launch: () => {
      launches++;
      if (launches < from || launches > to) return forkWorker();
      return childProcessHandle(
        spawn(process.execPath, ['-e', 'process.exit(3)'], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] }),
      );
    },
  };
}

describe('a decompression bomb', { timeout: 120_000 }, () => {
  it('is refused from its header before any decoding: the worker stays small and keeps answering', async () => {
    const { service } = await start();
    const pid = service.workerPid!;
    const bomb = await jpegClaiming(20_000, 20_000);
    for (let i = 0; i < 20; i++) {
      await expect(service.classify(bomb)).rejects.toThrow(/too large to decode \(20000×20000 pixels claimed/);
    }
    // The worker that took them is the one still serving (not a crash and a fresh one), and small:
    // decoding one such header used to grow it from ~160 MB to ~3.3 GB, for good.
    expect(service.workerPid).toBe(pid);
    expect(await residentMb(pid)).toBeLessThan(500);
    expect(service.status).toMatchObject({ restarts: 0, recycles: 0, state: 'serving' });
    const next = await service.classify(images[0]!);
    expect(next.probability).toBeGreaterThanOrEqual(0);
  });
});

describe('a worker whose memory grows past the limit', { timeout: 120_000 }, () => {
  it('is replaced by a fresh one with the same model, with no request dropped', async () => {
    // Any growth at all passes this limit: the first answers recycle the worker.
    const { service, log } = await start({ memoryGrowthLimitBytes: 1 });
    const first = service.workerPid!;
    const failed: unknown[] = [];
    // Requests keep coming while the replacement loads, and after it is swapped in.
    const giveUpAt = Date.now() + 60_000;
    while (service.status.recycles === 0 && Date.now() < giveUpAt) {
      const outcomes = await Promise.allSettled(images.map((image) => service.classify(image)));
      failed.push(...outcomes.filter((outcome) => outcome.status === 'rejected'));
    }
    for (let round = 0; round < 5; round++) {
      const outcomes = await Promise.allSettled(images.map((image) => service.classify(image)));
      failed.push(...outcomes.filter((outcome) => outcome.status === 'rejected'));
    }
    expect(failed).toEqual([]);
    expect(service.status.recycles).toBeGreaterThanOrEqual(1);
    expect(service.status).toMatchObject({ restarts: 0, state: 'serving', model: { name: 'default' } });
    expect(service.workerPid).not.toBe(first);
    await expect.poll(() => alive(first)).toBe(false);
    expect(log.recent(50).some((entry) => /replacing it with a fresh one/.test(entry.message))).toBe(true);
  });
});

describe('a worker that crashes', { timeout: 120_000 }, () => {
  it('is restarted with a bounded backoff when its replacement fails to start, and serving resumes', async () => {
    // Launch 1 loads the model; launches 2–4 (the first restarts) exit at once; 5 serves.
    const launches = failingLaunches(2, 4);
    const { service, log } = await start({ firstRestartDelayMs: 300, maxRestartDelayMs: 1200 }, launches.launch);
    const states: InferenceState[] = [];
    service.onDidChangeState((status) => states.push(status.state));

    process.kill(service.workerPid!, 'SIGKILL');
    // Until a launch serves again, requests fail at once with a reason (the miner answers those
    // by its policy); then they are answered again.
    const reasons = new Set<string>();
    const outcome = () =>
      service.classify(images[0]!).then(
        () => 'answered',
        (error: Error) => {
          reasons.add(error.message);
          return error.message;
        },
      );
    await expect.poll(outcome, { timeout: 30_000 }).toBe('answered');
    expect([...reasons]).toContain('the inference worker is restarting');
    expect(service.status.state).toBe('serving');
    expect(launches.count()).toBe(5);
    expect(states).toEqual(['restarting', 'serving']);
    const messages = log.recent(50).map((entry) => entry.message);
    for (const attempt of [1, 2, 3])
      expect(messages.some((m) => m.includes(`could not be restarted (attempt ${attempt}:`))).toBe(true);
    expect(messages.some((m) => m.includes('serving again') && m.includes('after 4 attempts'))).toBe(true);

    // Killed again and again, it comes back each time.
    for (let kill = 0; kill < 3; kill++) {
      const pid = service.workerPid!;
      process.kill(pid, 'SIGKILL');
      await expect
        .poll(() => service.workerPid !== undefined && service.workerPid !== pid, { timeout: 30_000 })
        .toBe(true);
      expect((await service.classify(images[kill % images.length]!)).probability).toBeGreaterThanOrEqual(0);
    }
    expect(service.status).toMatchObject({ state: 'serving', restarts: 4 });
  });
});
