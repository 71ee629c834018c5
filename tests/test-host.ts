import { afterEach } from 'vitest';
import { createHost, type Host } from '../main/host.js';
import { useTempDirs } from './temp-dir.js';

/** A real back end on a temporary data folder, closed after each test. */
export function useTestHosts(): () => Promise<Host> {
  const tempDir = useTempDirs();
  const hosts: Host[] = [];
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((host) => host.close()));
  });
  return async () => {
    const host = await createHost({
      kind: 'headless',
      dataDir: await tempDir(),
      metricsIntervalMs: 50,
      axonHost: '127.0.0.1',
    });
    hosts.push(host);
    return host;
  };
}
