import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/temp-dir.js';
import { LogService } from '../log/log-service.js';
import { renderStreetImage } from '../scenes/generate.js';
import { InferenceError, InferenceService } from './inference-service.js';
import { forkWorker } from './worker-launcher.js';

const DEFAULT_MODEL = join(import.meta.dirname, '..', '..', 'resources', 'models', 'default');
const tempDir = useTempDirs();
const services: InferenceService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()));
});

let images: Buffer[];
beforeAll(async () => {
  images = await Promise.all(
    [0, 1, 2, 3, 4, 5, 6, 7].map(
      async (seed) => (await renderStreetImage(seed, seed % 2 ? 'none' : 'roadwork', 0)).jpeg,
    ),
  );
});

async function start(): Promise<{ service: InferenceService; log: LogService }> {
  const log = new LogService({ filePath: null });
  const service = new InferenceService(forkWorker, log.forSource('inference'));
  services.push(service);
  await service.load(DEFAULT_MODEL, ['cuda', 'cpu']);
  return { service, log };
}

describe('inference in its own process', { timeout: 60_000 }, () => {
  it('classifies images and reports the live provider (CPU here: CUDA is tried first)', async () => {
    const { service } = await start();
    expect(service.status).toMatchObject({ provider: 'cpu', model: { name: 'default' } });
    const result = await service.classify(images[0]!);
    expect(result.probability).toBeGreaterThanOrEqual(0);
    expect(result.probability).toBeLessThanOrEqual(1);
    expect(result.embedding?.length).toBe(128);
  });

  it('answers many concurrent requests, each with its own image', async () => {
    const { service } = await start();
    const alone = await Promise.all(images.map((image) => service.classify(image)));
    const together = await Promise.all(Array.from({ length: 48 }, (_, i) => service.classify(images[i % 8]!)));
    together.forEach((result, i) => expect(result.probability).toBeCloseTo(alone[i % 8]!.probability, 4));
  });

  it('still answers a request when the worker is killed mid-request, and restarts it', async () => {
    const { service, log } = await start();
    const pid = service.workerPid!;
    const inFlight = Promise.all(images.map((image) => service.classify(image)));
    process.kill(pid, 'SIGKILL');
    const results = await inFlight;
    expect(results).toHaveLength(8);
    expect(service.status.restarts).toBe(1);
    expect(service.workerPid).not.toBe(pid);
    expect(log.recent(10).some((entry) => entry.message.includes('inference worker died'))).toBe(true);
    expect((await service.classify(images[0]!)).probability).toBeGreaterThanOrEqual(0);
  });

  it('swaps the model under load without failing a request', async () => {
    const { service } = await start();
    const next = await tempDir();
    await cp(DEFAULT_MODEL, next, { recursive: true });
    const manifest = JSON.parse(await readFile(join(next, 'model.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(next, 'model.json'), JSON.stringify({ ...manifest, version: '9.9.9' }));

    let stop = false;
    const outcomes: ('ok' | 'failed')[] = [];
    const load = (async () => {
      while (!stop) {
        const batch = await Promise.allSettled(images.map((image) => service.classify(image)));
        outcomes.push(
          ...batch.map((result) => (result.status === 'fulfilled' ? ('ok' as const) : ('failed' as const))),
        );
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await service.load(next, ['cpu']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop = true;
    await load;
    expect(service.status.model?.version).toBe('9.9.9');
    expect(outcomes.length).toBeGreaterThan(16);
    expect(outcomes.filter((outcome) => outcome === 'failed')).toEqual([]);
  });

  it('refuses a corrupt image with a clear error and keeps serving', async () => {
    const { service } = await start();
    await expect(service.classify(Buffer.from('definitely not a jpeg'))).rejects.toThrow(/cannot be decoded/);
    await expect(service.classify(Buffer.from('definitely not a jpeg'))).rejects.toBeInstanceOf(InferenceError);
    expect(service.status.restarts).toBe(0);
    expect((await service.classify(images[1]!)).probability).toBeGreaterThanOrEqual(0);
  });

  it('says why a model cannot be loaded', async () => {
    const service = new InferenceService(forkWorker, new LogService({ filePath: null }).forSource('inference'));
    services.push(service);
    await expect(service.load(await tempDir(), ['cpu'])).rejects.toThrow(/model\.json cannot be read/);
  });
});
