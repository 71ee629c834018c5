import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AVAILABLE_PROVIDERS,
  DEFAULT_MODEL,
  useInferenceServices,
  useStreetImages,
} from '../../tests/inference-fixture.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { InferenceError } from './inference-service.js';
import type { ExecutionProvider } from './onnx-classifier.js';

const tempDir = useTempDirs();
const inference = useInferenceServices();
const images = useStreetImages(8);

/** Asked for CUDA first, as the miner does: it serves on CUDA where that loads, on the CPU elsewhere. */
const ASKED: ExecutionProvider[] = ['cuda', 'cpu'];

const start = () => inference.start({ providers: ASKED });

describe('inference in its own process', { timeout: 60_000 }, () => {
  it('classifies images and reports the live provider: one of those asked for that is available here', async () => {
    const { service } = await start();
    expect(service.status).toMatchObject({ model: { name: 'default' } });
    expect(ASKED.filter((provider) => AVAILABLE_PROVIDERS.includes(provider))).toContain(service.status.provider);
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
    // Requests answered before the swap, and more while and after it loads.
    await expect.poll(() => outcomes.length).toBeGreaterThanOrEqual(16);
    const before = outcomes.length;
    await service.load(next, ['cpu']);
    await expect.poll(() => outcomes.length).toBeGreaterThanOrEqual(before + 16);
    stop = true;
    await load;
    expect(service.status).toMatchObject({ provider: 'cpu', model: { version: '9.9.9' } });
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
    const { service } = inference.create();
    await expect(service.load(await tempDir(), ['cpu'])).rejects.toThrow(/model\.json cannot be read/);
  });
});
