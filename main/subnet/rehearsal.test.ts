import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogService } from '../log/log-service.js';
import { rehearse } from './rehearsal.js';

const DEFAULT_MODEL = join(import.meta.dirname, '..', '..', 'resources', 'models', 'default');
const log = new LogService({ filePath: null }).forSource('rehearsal');
const field = { validators: 3, peers: 12, challenges: 40, seed: 7, log };

describe('the local subnet, end to end over loopback', { timeout: 120_000 }, () => {
  it('ranks the default model in the top quarter against a spread of peers', async () => {
    const result = await rehearse({ ...field, modelDir: DEFAULT_MODEL });
    expect(result.miners).toBe(13);
    expect(result.answers).toBe(120); // every challenge answered over HTTP, none lost
    expect(result.rank).toBeLessThanOrEqual(Math.ceil(result.miners / 4));
    expect(result.accuracy).toBeGreaterThan(0.85);
    expect(result.incentive).toBeGreaterThan(1 / result.miners);
  });

  it('fits its peers to a live subnet when given its incentives', async () => {
    const live = Array.from({ length: 8 }, (_, i) => 0.2 / (i + 1));
    const result = await rehearse({ ...field, challenges: 10, fitTo: live, answer: () => Promise.resolve(0.5) });
    expect(result).toMatchObject({ peers: 8, miners: 9 });
  });

  it('ranks a constant 0.5 in the bottom quarter', async () => {
    const result = await rehearse({ ...field, answer: () => Promise.resolve(0.5) });
    expect(result.rank).toBeGreaterThan(result.miners - Math.ceil(result.miners / 4));
    expect(result.mcc).toBe(0);
    expect(result.meanReward).toBeLessThanOrEqual(0.125);
  });
});
