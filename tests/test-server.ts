import type { Host } from '../main/host.js';
import { startHeadlessServer, type HeadlessServer } from '../main/server/headless-server.js';
import { writeRendererFixture } from './renderer-fixture.js';
import { afterLifetime, useTempDirs, type Lifetime } from './temp-dir.js';
import { useTestHosts } from './test-host.js';

export interface TestServer {
  host: Host;
  server: HeadlessServer;
  /** Starts the server again on the same port (and token, when one was fixed). */
  readonly restart: () => Promise<HeadlessServer>;
}

/**
 * A real back end behind a real headless server on a free loopback port, closed after each test
 * (or, with `'suite'`, after the describe block).
 */
export function useTestServers(lifetime: Lifetime = 'test'): (options?: { token?: string }) => Promise<TestServer> {
  const tempDir = useTempDirs(lifetime);
  const testHost = useTestHosts(lifetime);
  const servers: HeadlessServer[] = [];
  afterLifetime(lifetime)(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (options = {}) => {
    const host = await testHost();
    const base = {
      endpoint: host.endpoint,
      log: host.log.forSource('serve'),
      rendererDir: await writeRendererFixture(await tempDir()),
      host: '127.0.0.1',
      ...options,
    };
    const server = await startHeadlessServer({ ...base, port: 0 });
    servers.push(server);
    return {
      host,
      server,
      restart: async () => {
        const again = await startHeadlessServer({ ...base, port: server.port });
        servers.push(again);
        return again;
      },
    };
  };
}
