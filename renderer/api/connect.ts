import { OperatorClient } from '../../shared/client.js';
import type { Transport } from '../../shared/transport/transport.js';
import { createWsTransport } from '../../shared/transport/ws-client-transport.js';
import { WS_PATH } from '../../shared/transport/wire.js';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the console is served headless. */
    readonly operator?: Transport;
  }
}

/**
 * The one place that knows how the console reaches its back end: the preload's IPC bridge inside
 * Electron, otherwise a WebSocket to the host that served this page (its cookie carries the token).
 */
export function connectToBackEnd(): OperatorClient {
  if (window.operator) return new OperatorClient(window.operator);
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const transport = createWsTransport({
    url: `${scheme}//${location.host}${WS_PATH}`,
    createSocket: (url) => new WebSocket(url),
    isAuthorized: async () => {
      const probe = await fetch('/api/session', { credentials: 'same-origin', cache: 'no-store' });
      return probe.status !== 401;
    },
  });
  return new OperatorClient(transport);
}
