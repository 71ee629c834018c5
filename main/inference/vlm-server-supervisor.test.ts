import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/domain/settings.js';
import type { VlmServerState, VlmServerStatus } from '../../shared/domain/vlm-server.js';
import { LogService } from '../log/log-service.js';
import { freePort } from '../../tests/free-port.js';
import { askVlm } from './vlm-stage.js';
import { VlmServerSupervisor } from './vlm-server-supervisor.js';

const FAKE_VLLM = join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'fake-vllm.mjs');
const fakeCommand = (more: string) => `"${process.execPath}" "${FAKE_VLLM}" ${more}`;

const supervisors: VlmServerSupervisor[] = [];
afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((supervisor) => supervisor.dispose()));
});

function supervise(): { supervisor: VlmServerSupervisor; log: LogService; seen: VlmServerState[] } {
  const log = new LogService({ filePath: null });
  const supervisor = new VlmServerSupervisor({
    log: log.forSource('vlm'),
    backoffMs: [100, 200],
    probeIntervalMs: 50,
    stopGraceMs: 2000,
    maxQuickExits: 3,
  });
  supervisors.push(supervisor);
  const seen: VlmServerState[] = [];
  supervisor.stream((status) => {
    if (seen.at(-1) !== status.state) seen.push(status.state);
  });
  return { supervisor, log, seen };
}

function until(supervisor: VlmServerSupervisor, test: (status: VlmServerStatus) => boolean): Promise<VlmServerStatus> {
  return new Promise((resolve) => {
    const subscription = supervisor.stream((status) => {
      if (!test(status)) return;
      queueMicrotask(() => subscription.dispose());
      resolve(status);
    });
  });
}

/** Running, that is: a killed process its new parent has not reaped yet is a zombie, not alive. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('the second-stage server, run by the console', { timeout: 30_000 }, () => {
  it('starts the command, is ready once the API answers, and the cascade is answered through it', async () => {
    const { supervisor, log, seen } = supervise();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/v1`;
    await supervisor.start(fakeCommand(`--port ${port} --load-ms 300`), url);
    const ready = await until(supervisor, (status) => status.state === 'ready');
    expect(seen).toEqual(['stopped', 'starting', 'ready']);
    expect(ready.pid).toEqual(expect.any(Number));
    expect(ready.recentOutput.some((line) => line.includes('Loading model weights'))).toBe(true);
    const answer = await askVlm({ ...DEFAULT_SETTINGS.cascade, enabled: true, url }, Buffer.from([0xff, 0xd8]), 2000);
    expect(answer).toBeGreaterThan(0.5);
    expect(log.recent(50).some((entry) => entry.message.includes('answers at'))).toBe(true);
  });

  it('restarts a server that dies, and stops it with its process group', async () => {
    const { supervisor } = supervise();
    const port = await freePort();
    await supervisor.start(fakeCommand(`--port ${port} --engine`), `http://127.0.0.1:${port}/v1`);
    const first = await until(supervisor, (status) => status.state === 'ready');
    const firstEngine = Number(/EngineCore pid (\d+)/.exec(first.recentOutput.join('\n'))![1]);
    process.kill(first.pid!, 'SIGKILL');
    const again = await until(supervisor, (status) => status.state === 'ready' && status.pid !== first.pid);
    expect(again.restarts).toBe(1);
    await expect.poll(() => alive(firstEngine)).toBe(false);
    const engine = Number(
      /EngineCore pid (\d+)/.exec(again.recentOutput.findLast((line) => line.includes('EngineCore'))!)![1],
    );
    expect(alive(engine)).toBe(true);
    const stopped = await supervisor.stop();
    expect(stopped.state).toBe('stopped');
    expect(alive(again.pid!)).toBe(false);
    await expect.poll(() => alive(engine)).toBe(false);
  });

  it('gives up with the reason when the server keeps dying at once', async () => {
    const { supervisor } = supervise();
    await supervisor.start(fakeCommand('--fail "CUDA out of memory"'), 'http://127.0.0.1:9/v1');
    const failed = await until(supervisor, (status) => status.state === 'error');
    expect(failed.message).toMatch(/exited with code 1 3 times in a row.*CUDA out of memory/);
    expect(failed.restarts).toBe(2);
  });

  it('says so when the program is not installed, or the command is not one', async () => {
    const { supervisor } = supervise();
    await supervisor.start('vllm-that-is-not-installed serve x', 'http://127.0.0.1:9/v1');
    const missing = await until(supervisor, (status) => status.state === 'error');
    expect(missing.message).toMatch(/"vllm-that-is-not-installed" was not found: install vLLM/);
    const bad = await supervisor.start('vllm serve x && rm -rf /', 'http://127.0.0.1:9/v1');
    expect(bad.state).toBe('error');
    expect(bad.message).toMatch(/shell syntax/);
  });
});
