import { afterEach } from 'vitest';
import { createHost, type Host, type HostOptions } from '../main/host.js';
import { useTempDirs } from './temp-dir.js';

/** A real back end on a temporary data folder, closed after each test. */
export function useTestHosts(): (options?: Partial<HostOptions>) => Promise<Host> {
  const tempDir = useTempDirs();
  const hosts: Host[] = [];
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((host) => host.close()));
  });
  return async (options = {}) => {
    const host = await createHost({
      kind: 'headless',
      dataDir: await tempDir(),
      metricsIntervalMs: 50,
      axonHost: '127.0.0.1',
      // The local validators wait a minute before their first round unless a test asks otherwise,
      // so a test that counts requests counts its own.
      localPace: { roundIntervalMs: 60_000, tempoRounds: 5 },
      ...options,
    });
    hosts.push(host);
    return host;
  };
}
