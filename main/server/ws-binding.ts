import type { RawData, WebSocket } from 'ws';
import { ClientFrameSchema, MAX_FRAME_BYTES, type ServerFrame } from '../../shared/transport/wire.js';
import { describeZodError } from '../../shared/errors.js';
import type { ApiEndpoint } from '../api/api-endpoint.js';
import { ClientSession } from '../api/client-session.js';
import type { Logger } from '../log/log-service.js';
import { reportUnexpected } from '../base/unexpected-errors.js';

/** A console that cannot keep up is dropped (it reconnects and replays) before it costs us memory. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/** Serves the OperatorApi to one WebSocket: the headless twin of the Electron IPC binding. */
export function bindWebSocket(socket: WebSocket, endpoint: ApiEndpoint, log: Logger): void {
  const send = (frame: ServerFrame): void => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      log.warn('A console fell too far behind its event streams and was disconnected; it will reconnect.');
      socket.close(1013, 'too far behind');
      return;
    }
    socket.send(JSON.stringify(frame));
  };

  const session = new ClientSession(endpoint, {
    sendEvents: (batches) => send({ type: 'events', batches }),
    sendStreamError: (id, error) => send({ type: 'stream-error', id, error }),
  });

  socket.on('message', (data, isBinary) => {
    // ws calls this from its receiver: a throw here would escape into the event loop.
    try {
      onFrame(data, isBinary);
    } catch (error) {
      reportUnexpected('a frame from a console', error);
    }
  });

  function onFrame(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      send({ type: 'protocol-error', message: 'Frames must be JSON text.' });
      return;
    }
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8');
    if (text.length > MAX_FRAME_BYTES) {
      send({ type: 'protocol-error', message: `Frames must be at most ${MAX_FRAME_BYTES} bytes.` });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      send({ type: 'protocol-error', message: 'A frame was not valid JSON.' });
      return;
    }
    const parsed = ClientFrameSchema.safeParse(json);
    if (!parsed.success) {
      send({ type: 'protocol-error', message: `A frame broke the protocol: ${describeZodError(parsed.error)}` });
      return;
    }
    const frame = parsed.data;
    switch (frame.type) {
      case 'invoke':
        void endpoint
          .invoke(frame.command, frame.payload)
          .then((result) => send({ type: 'result', id: frame.id, result }))
          .catch((error: unknown) => reportUnexpected(`the answer to ${frame.command}`, error));
        break;
      case 'subscribe':
        session.subscribe(frame.id, frame.stream, frame.params);
        break;
      case 'unsubscribe':
        session.unsubscribe(frame.id);
        break;
    }
  }
  socket.on('close', () => session.dispose());
  socket.on('error', () => session.dispose());
}
