import { createHost, type Host, type HostOptions } from '../main/host.js';
import { afterLifetime, useTempDirs, type Lifetime } from './temp-dir.js';

/** A real back end on a temporary data folder, closed after each test (or, with `'suite'`, after the describe block). */
export function useTestHosts(lifetime: Lifetime = 'test'): (options?: Partial<HostOptions>) => Promise<Host> {
  const tempDir = useTempDirs(lifetime);
  const hosts: Host[] = [];
  afterLifetime(lifetime)(async () => {
    await Promise.all(hosts.splice(0).map((host) => host.close()));
  });
  return async (options = {}) => {
    const host = await openTestHost(await tempDir(), options);
    hosts.push(host);
    return host;
  };
}

function openTestHost(dataDir: string, options: Partial<HostOptions>): Promise<Host> {
  return createHost({
    kind: 'headless',
    dataDir,
    metricsIntervalMs: 50,
    axonHost: '127.0.0.1',
    // The local validators wait a minute before their first round unless a test asks otherwise,
    // so a test that counts requests counts its own.
    localPace: { roundIntervalMs: 60_000, tempoRounds: 5 },
    ...options,
  });
}
