import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { MAX_FRAME_BYTES, WS_PATH } from '../../shared/transport/wire.js';
import type { ApiEndpoint } from '../api/api-endpoint.js';
import type { Logger } from '../log/log-service.js';
import { reportUnexpected } from '../base/unexpected-errors.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { readStaticFile } from './static-files.js';
import { parseRequestTarget } from './request-target.js';
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
 * every WebSocket upgrade must carry the token; without it the answer is a bare 401. A target
 * that is not a plain path is a 400 before anything else, and no request, upgrade or malformed
 * line a client sends can end the process.
 */
export async function startHeadlessServer(options: HeadlessServerOptions): Promise<HeadlessServer> {
  const token = options.token ?? createToken();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  let port = options.port;

  const server = createServer((request, response) => {
    void handleHttp(request, response).catch((error: unknown) => {
      options.log.error(`HTTP ${request.method ?? ''} ${describeTarget(request)} failed: ${String(error)}`);
      try {
        if (!response.headersSent) respond(response, 500, 'Internal error');
        else response.destroy();
      } catch (answerError) {
        reportUnexpected('the answer to a failed HTTP request', answerError);
      }
    });
  });
  // A request line or header the HTTP parser refuses: a bare status, and the connection goes.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    try {
      if (socket.writable && error.code !== 'ECONNRESET') socket.end(bareAnswer(clientErrorStatus(error.code)));
      else socket.destroy();
    } catch (answerError) {
      reportUnexpected('an answer to a malformed request', answerError);
    }
  });

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = parseRequestTarget(request.url);
    if (!url) {
      respond(response, 400, 'Bad request');
      return;
    }
    const presented = presentedToken(request, url, port);
    if (!presented || !tokenMatches(presented.token, token)) {
      respond(response, 401, 'Unauthorized', { 'www-authenticate': 'Bearer' });
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      respond(response, 405, 'Method not allowed', { allow: 'GET, HEAD' });
      return;
    }
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
    // Node leaves an upgraded socket without an error listener: a client that resets it must
    // not become an uncaught exception.
    socket.on('error', () => socket.destroy());
    try {
      upgrade(request, socket, head);
    } catch (error) {
      reportUnexpected(`the WebSocket upgrade of ${describeTarget(request)}`, error);
      socket.destroy();
    }
  });

  function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = parseRequestTarget(request.url);
    const presented = url && presentedToken(request, url, port);
    const refusal = !url
      ? '400 Bad Request'
      : url.pathname !== WS_PATH
        ? '404 Not Found'
        : !presented || !tokenMatches(presented.token, token)
          ? '401 Unauthorized'
          : !sameOrigin(request)
            ? '403 Forbidden'
            : null;
    if (refusal) {
      socket.end(bareAnswer(refusal));
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => bindWebSocket(ws, options.endpoint, options.log));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // From now on an error of the server itself (not of one request) is logged; it stays up.
  server.on('error', (error) => options.log.error(`The console's HTTP server: ${String(error)}`));
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

/** A status line and nothing else, for a socket that is not (or no longer) an HTTP exchange. */
function bareAnswer(status: string): string {
  return `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`;
}

/** What Node itself answers a request its parser refused, kept now that the server listens for it. */
function clientErrorStatus(code: string | undefined): string {
  if (code === 'HPE_HEADER_OVERFLOW') return '431 Request Header Fields Too Large';
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return '408 Request Timeout';
  return '400 Bad Request';
}

/** The target as the log may show it: what a client sent is cut short and kept printable. */
function describeTarget(request: IncomingMessage): string {
  return JSON.stringify((request.url ?? '').slice(0, 200));
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
