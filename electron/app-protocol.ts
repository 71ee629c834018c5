import { protocol } from 'electron';
import { SECURITY_HEADERS } from '../main/server/security-headers.js';
import { readStaticFile } from '../main/server/static-files.js';
import { APP_SCHEME } from './app-url.js';

/** Must run before `app` is ready: makes `app://` a standard, secure origin (not `file://`). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the built renderer at `app://console/` with the same CSP as the headless host. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'console' ? await readStaticFile(rendererDir, url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404, headers: SECURITY_HEADERS });
    return new Response(new Uint8Array(file.body), {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'content-type': file.contentType },
    });
  });
}
