import type { ApiErrorPayload } from '../errors.js';
import type { ConnectionState, InvokeResult, StreamHandlers, Transport } from './transport.js';
import { ServerFrameSchema, type ClientFrame } from './wire.js';

/**
 * The part of the WebSocket API this transport uses: the browser's and the `ws` package's both
 * fit. Handlers take `never` so either library's event types are accepted; ours read only `data`.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
}

export interface WsTransportOptions {
  url: string;
  createSocket(url: string): WebSocketLike;
  /**
   * Asked after a connection fails: false means the back end refuses our token (it restarted with
   * a new one), so retrying is pointless and the operator must open the new URL.
   */
  isAuthorized?(): Promise<boolean>;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

interface PendingCall {
  resolve(result: InvokeResult): void;
}

interface ActiveSubscription {
  stream: string;
  params: unknown;
  handlers: StreamHandlers;
}

const OPEN = 1;
const unavailable = (message: string): ApiErrorPayload => ({ code: 'unavailable', message });

/**
 * The OperatorApi over one WebSocket, reconnecting with backoff. Subscriptions outlive a dropped
 * link: they are sent again on reconnect, and state streams replay their current value.
 * Calls in flight when the link drops fail as `unavailable` because we cannot know if they ran.
 */
export function createWsTransport(options: WsTransportOptions): Transport & { close(): void } {
  const minBackoff = options.minBackoffMs ?? 250;
  const maxBackoff = options.maxBackoffMs ?? 5000;
  const pending = new Map<number, PendingCall>();
  const subscriptions = new Map<number, ActiveSubscription>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let queue: ClientFrame[] = [];
  let nextId = 1;
  let socket: WebSocketLike | null = null;
  let state: ConnectionState = 'connecting';
  let backoff = minBackoff;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let closedByUs = false;
  let everOpened = false;

  const setState = (next: ConnectionState): void => {
    if (next === state) return;
    state = next;
    for (const listener of connectionListeners) listener(next);
  };

  const send = (frame: ClientFrame): void => {
    if (socket && socket.readyState === OPEN) socket.send(JSON.stringify(frame));
    else queue.push(frame);
  };

  const failPending = (message: string): void => {
    for (const call of pending.values()) call.resolve({ ok: false, error: unavailable(message) });
    pending.clear();
  };

  const handleMessage = (data: unknown): void => {
    if (typeof data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = ServerFrameSchema.safeParse(json);
    if (!parsed.success) return;
    const frame = parsed.data;
    switch (frame.type) {
      case 'result': {
        const call = pending.get(frame.id);
        pending.delete(frame.id);
        call?.resolve(frame.result);
        break;
      }
      case 'events':
        for (const batch of frame.batches) subscriptions.get(batch.id)?.handlers.onEvents(batch.events);
        break;
      case 'stream-error': {
        const subscription = subscriptions.get(frame.id);
        subscriptions.delete(frame.id);
        subscription?.handlers.onError(frame.error);
        break;
      }
      case 'protocol-error':
        break;
    }
  };

  const scheduleReconnect = (): void => {
    if (closedByUs || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, backoff);
    backoff = Math.min(backoff * 2, maxBackoff);
  };

  const connect = (): void => {
    const ws = options.createSocket(options.url);
    socket = ws;
    ws.onopen = () => {
      backoff = minBackoff;
      everOpened = true;
      for (const [id, sub] of subscriptions) {
        ws.send(JSON.stringify({ type: 'subscribe', id, stream: sub.stream, params: sub.params }));
      }
      const waiting = queue;
      queue = [];
      for (const frame of waiting) {
        if (frame.type !== 'subscribe') ws.send(JSON.stringify(frame));
      }
      setState('open');
    };
    ws.onmessage = (event: { data: unknown }) => handleMessage(event.data);
    ws.onerror = () => undefined;
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      // Subscribe frames are re-sent from `subscriptions` on reconnect; anything else queued
      // was never sent and fails now rather than running late.
      queue = queue.filter((frame) => frame.type === 'subscribe');
      failPending('the link to the back end dropped');
      if (closedByUs) {
        setState('closed');
        return;
      }
      setState(everOpened ? 'reconnecting' : 'connecting');
      if (options.isAuthorized) {
        options.isAuthorized().then(
          (authorized) => {
            if (authorized) scheduleReconnect();
            else setState('unauthorized');
          },
          () => scheduleReconnect(),
        );
      } else {
        scheduleReconnect();
      }
    };
  };

  connect();

  return {
    invoke(command, payload) {
      if (closedByUs) return Promise.resolve({ ok: false, error: unavailable('the console is closed') });
      if (state === 'unauthorized') {
        return Promise.resolve({
          ok: false,
          error: { code: 'unauthorized', message: 'the back end no longer accepts this session' },
        });
      }
      const id = nextId++;
      return new Promise<InvokeResult>((resolve) => {
        pending.set(id, { resolve });
        send({ type: 'invoke', id, command, payload });
      });
    },
    subscribe(stream, params, handlers) {
      const id = nextId++;
      subscriptions.set(id, { stream, params, handlers });
      send({ type: 'subscribe', id, stream, params });
      return () => {
        if (!subscriptions.delete(id)) return;
        if (socket && socket.readyState === OPEN) send({ type: 'unsubscribe', id });
      };
    },
    onConnectionChange(listener) {
      connectionListeners.add(listener);
      listener(state);
      return () => connectionListeners.delete(listener);
    },
    close() {
      closedByUs = true;
      if (retryTimer) clearTimeout(retryTimer);
      failPending('the console is closed');
      subscriptions.clear();
      if (socket) socket.close(1000, 'closed');
      else setState('closed');
    },
  };
}
