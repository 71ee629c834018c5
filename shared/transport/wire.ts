/** The frames of the WebSocket transport and of the Electron IPC event channel. */
import { z } from 'zod';
import { ApiErrorPayloadSchema } from '../errors.js';
import { InvokeResultSchema } from './transport.js';

const Id = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const ClientFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('invoke'), id: Id, command: z.string(), payload: z.unknown() }),
  z.object({ type: z.literal('subscribe'), id: Id, stream: z.string(), params: z.unknown() }),
  z.object({ type: z.literal('unsubscribe'), id: Id }),
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

export const EventBatchSchema = z.object({ id: Id, events: z.array(z.unknown()) });
export type EventBatch = z.infer<typeof EventBatchSchema>;

export const ServerFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: Id, result: InvokeResultSchema }),
  z.object({ type: z.literal('events'), batches: z.array(EventBatchSchema) }),
  z.object({ type: z.literal('stream-error'), id: Id, error: ApiErrorPayloadSchema }),
  /** A frame the back end could not read at all; the connection stays open. */
  z.object({ type: z.literal('protocol-error'), message: z.string() }),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

/** Frames larger than this are refused before parsing. */
export const MAX_FRAME_BYTES = 1024 * 1024;

export const WS_PATH = '/api';
