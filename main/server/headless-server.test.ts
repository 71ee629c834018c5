import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useTestServers } from '../../tests/test-server.js';
import type { HeadlessServer } from './headless-server.js';

const testServer = useTestServers();

async function startServer(): Promise<HeadlessServer & { base: string }> {
  const { server } = await testServer();
  return Object.assign(server, { base: `http://127.0.0.1:${server.port}` });
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request (fetch would follow redirects and hide the cookie). */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket and reports the HTTP status of a refused upgrade, or 101. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('error', (error) => reject(error));
  });
}

describe('headless host', () => {
  it('prints a loopback URL carrying a long random token, fresh each start', async () => {
    const a = await startServer();
    const b = await startServer();
    expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
  });

  it('refuses every HTTP request without the token, leaking nothing of the console', async () => {
    const server = await startServer();
    for (const path of ['/', '/index.html', '/assets/app-1234.js', '/api/session', '/settings']) {
      const response = await get(`${server.base}${path}`);
      expect(response.status, path).toBe(401);
      expect(response.body, path).toBe('Unauthorized');
      expect(response.headers['set-cookie'], path).toBeUndefined();
    }
  });

  it('refuses a wrong token, by query, header or cookie', async () => {
    const server = await startServer();
    const wrong = `${server.token.slice(0, -1)}${server.token.endsWith('A') ? 'B' : 'A'}`;
    expect((await get(`${server.base}/?token=${wrong}`)).status).toBe(401);
    expect((await get(`${server.base}/`, { authorization: `Bearer ${wrong}` })).status).toBe(401);
    expect((await get(`${server.base}/`, { cookie: `sv_token_${server.port}=${wrong}` })).status).toBe(401);
    expect((await get(`${server.base}/?token=`)).status).toBe(401);
  });

  it('trades the token in the URL for an HttpOnly cookie that then opens the console', async () => {
    const server = await startServer();
    const first = await get(server.url);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']).split(';')[0]!;
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict; Path=\//);
    const page = await get(`${server.base}/`, { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('StreetVision Console');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const asset = await get(`${server.base}/assets/app-1234.js`, { cookie });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
  });

  it('never serves a file outside the built renderer', async () => {
    const server = await startServer();
    const auth = { authorization: `Bearer ${server.token}` };
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/.hidden.js']) {
      const response = await get(`${server.base}${path}`, auth);
      expect(response.status, path).toBe(404);
      expect(response.body, path).not.toContain('outside the renderer');
    }
  });

  it('accepts only GET and HEAD', async () => {
    const server = await startServer();
    const response = await get(`${server.base}/`, { authorization: `Bearer ${server.token}` }, 'POST');
    expect(response.status).toBe(405);
  });

  it('refuses a WebSocket without the token (401) and from another site (403)', async () => {
    const server = await startServer();
    const ws = `ws://127.0.0.1:${server.port}/api`;
    expect(await upgradeStatus(ws)).toBe(401);
    expect(await upgradeStatus(`${ws}?token=nope`)).toBe(401);
    expect(await upgradeStatus(ws, { authorization: `Bearer ${server.token}`, origin: 'https://evil.example' })).toBe(
      403,
    );
    expect(
      await upgradeStatus(`ws://127.0.0.1:${server.port}/other`, { authorization: `Bearer ${server.token}` }),
    ).toBe(404);
    expect(await upgradeStatus(ws, { authorization: `Bearer ${server.token}` })).toBe(101);
    expect(await upgradeStatus(ws, { cookie: `sv_token_${server.port}=${server.token}`, origin: server.base })).toBe(
      101,
    );
  });

  it('answers the session probe: 204 with the token, 401 without', async () => {
    const server = await startServer();
    expect((await get(`${server.base}/api/session`, { authorization: `Bearer ${server.token}` })).status).toBe(204);
    expect((await get(`${server.base}/api/session`)).status).toBe(401);
  });

  it('keeps a WebSocket open after a malformed frame and says what was wrong', async () => {
    const server = await startServer();
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    const frames: unknown[] = [];
    socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString('utf8'))));
    await new Promise((resolve) => socket.on('open', resolve));
    socket.send('{not json');
    socket.send(JSON.stringify({ type: 'invoke', id: 'x' }));
    socket.send(JSON.stringify({ type: 'invoke', id: 1, command: 'miner.status', payload: {} }));
    await expect.poll(() => frames.length).toBe(3);
    socket.close();
    expect(frames[0]).toEqual({ type: 'protocol-error', message: 'A frame was not valid JSON.' });
    expect(frames[1]).toMatchObject({ type: 'protocol-error' });
    expect(frames[2]).toMatchObject({ type: 'result', id: 1, result: { ok: true, value: { state: 'stopped' } } });
  });
});
