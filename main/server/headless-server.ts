import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { MAX_FRAME_BYTES, WS_PATH } from '../../shared/transport/wire.js';
import type { ApiEndpoint } from '../api/api-endpoint.js';
import type { Logger } from '../log/log-service.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { readStaticFile } from './static-files.js';
import { cookieName, createToken, presentedToken, tokenMatches } from './token-auth.js';
import { bindWebSocket } from './ws-binding.js';

export interface HeadlessServerOptions {
  endpoint: ApiEndpoint;
  log: Logger;
  /** The built renderer (`build/renderer`). */
  rendererDir: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** A fixed token for tests; otherwise a fresh random one. */
  token?: string;
}

export interface HeadlessServer {
  /** The URL to open, token included. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

/** Only this path answers an authorised GET with no body: consoles use it to tell a dead token from a dead link. */
export const SESSION_PROBE_PATH = '/api/session';

/**
 * Serves the built console and the OperatorApi (a WebSocket at `/api`) to a browser, so a rig
 * with no display can be watched from anywhere the operator can reach. Every HTTP request and
 * every WebSocket upgrade must carry the token; without it the answer is a bare 401.
 */
export async function startHeadlessServer(options: HeadlessServerOptions): Promise<HeadlessServer> {
  const token = options.token ?? createToken();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  let port = options.port;

  const server = createServer((request, response) => {
    void handleHttp(request, response).catch((error: unknown) => {
      options.log.error(`HTTP ${request.method ?? ''} ${pathOf(request)} failed: ${String(error)}`);
      if (!response.headersSent) respond(response, 500, 'Internal error');
      else response.destroy();
    });
  });

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const presented = presentedToken(request, port);
    if (!presented || !tokenMatches(presented.token, token)) {
      respond(response, 401, 'Unauthorized', { 'www-authenticate': 'Bearer' });
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      respond(response, 405, 'Method not allowed', { allow: 'GET, HEAD' });
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (presented.source === 'query') {
      // Trade the token in the address bar for a cookie, so it does not linger in history.
      url.searchParams.delete('token');
      response.writeHead(303, {
        ...SECURITY_HEADERS,
        'set-cookie': `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        location: `${url.pathname}${url.search}`,
        'cache-control': 'no-store',
      });
      response.end();
      return;
    }
    if (url.pathname === SESSION_PROBE_PATH) {
      response.writeHead(204, { ...SECURITY_HEADERS, 'cache-control': 'no-store' });
      response.end();
      return;
    }
    const file = await readStaticFile(options.rendererDir, url.pathname);
    if (!file) {
      const missingApp = url.pathname === '/' || !url.pathname.includes('.');
      respond(
        response,
        missingApp ? 503 : 404,
        missingApp ? 'The console is not built: run `npm run build`.' : 'Not found',
      );
      return;
    }
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': file.contentType,
      'content-length': file.body.length,
      'cache-control': file.immutable ? 'private, max-age=31536000, immutable' : 'no-store',
    });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const presented = presentedToken(request, port);
    const refusal =
      pathOf(request) !== WS_PATH
        ? '404 Not Found'
        : !presented || !tokenMatches(presented.token, token)
          ? '401 Unauthorized'
          : !sameOrigin(request)
            ? '403 Forbidden'
            : null;
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => bindWebSocket(ws, options.endpoint, options.log));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(options.host)}:${port}/?token=${token}`;

  return {
    url,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function respond(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    ...headers,
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(text);
}

function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://localhost').pathname;
}

/** A browser always sends Origin on a WebSocket upgrade: refuse pages of other sites (CSWSH). */
function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
