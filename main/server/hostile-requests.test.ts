import { describe, expect, it } from 'vitest';
import { plainRequest, sendRaw, upgradeRequest } from '../../tests/raw-http.js';
import { useServeProcesses } from '../../tests/serve-process.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { useTestServers } from '../../tests/test-server.js';

const testServer = useTestServers();
const serve = useServeProcesses();
const tempDir = useTempDirs();

/**
 * Request-targets the URL parser throws on (or reads a foreign host out of). A page on any site
 * can make a browser send the first: `<img src="http://127.0.0.1:7272//">`.
 */
const HOSTILE_TARGETS = ['//', '/\\', 'http://[', '//evil.example/', '/\\evil.example/', '*'];

async function sessionProbe(port: number, token: string): Promise<number> {
  return (await fetch(`http://127.0.0.1:${port}/api/session`, { headers: { authorization: `Bearer ${token}` } }))
    .status;
}

describe('the headless host under request-targets it cannot parse', () => {
  it('answers each with a 400, as a request and as a WebSocket upgrade, and keeps serving', async () => {
    const { server } = await testServer();
    for (const target of HOSTILE_TARGETS) {
      expect((await sendRaw(server.port, plainRequest(target))).status, `GET ${target}`).toBe(400);
      expect((await sendRaw(server.port, upgradeRequest(target))).status, `upgrade ${target}`).toBe(400);
      expect(await sessionProbe(server.port, server.token), `after ${target}`).toBe(204);
    }
    // A request line the HTTP parser itself refuses is a 400 too, and costs nothing.
    expect((await sendRaw(server.port, 'GET / HTTP/9.9 junk\r\n\r\n')).status).toBe(400);
    expect(await sessionProbe(server.port, server.token)).toBe(204);
  });

  it('a served console, run as its own process, is still alive after every one of them', async () => {
    const host = await serve.start(await tempDir());
    for (const target of HOSTILE_TARGETS) {
      await sendRaw(host.port, plainRequest(target));
      await sendRaw(host.port, upgradeRequest(target));
    }
    expect(await sessionProbe(host.port, host.token)).toBe(204);
    expect(host.alive()).toBe(true);
    expect(host.stderr()).not.toMatch(/Invalid URL/);
  });
});
