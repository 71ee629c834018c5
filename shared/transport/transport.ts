import { z } from 'zod';
import { ApiErrorPayloadSchema, type ApiErrorPayload } from '../errors.js';

export const InvokeResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiErrorPayloadSchema }),
]);
export type InvokeResult = z.infer<typeof InvokeResultSchema>;

export interface StreamHandlers {
  /** Events arrive in batches (at most one batch per ~16 ms) so a busy stream costs one render. */
  onEvents(events: unknown[]): void;
  onError(error: ApiErrorPayload): void;
}

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'unauthorized' | 'closed';

/**
 * How the renderer reaches the back end. The Electron preload exposes one of these on
 * `window.operator`; the headless console builds one over a WebSocket. Nothing above the
 * transport knows which it has. Payloads are untyped here: the client and the back end check them.
 */
export interface Transport {
  invoke(command: string, payload: unknown): Promise<InvokeResult>;
  subscribe(stream: string, params: unknown, handlers: StreamHandlers): () => void;
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
}
