/** Messages between the inference service and its worker process, checked on arrival. */
import { z } from 'zod';

const Provider = z.enum(['cuda', 'cpu']);

export const ToWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('load'), modelDir: z.string().min(1), providers: z.array(Provider).min(1) }),
  z.object({ type: z.literal('classify'), id: z.number().int().min(0), image: z.instanceof(Uint8Array) }),
]);
export type ToWorker = z.infer<typeof ToWorkerSchema>;

/** The worker's resident memory in bytes when it sent the message: the service recycles a bloated worker. */
const Rss = z.number().int().min(0);

export const FromWorkerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    provider: Provider,
    model: z.object({ name: z.string(), version: z.string() }),
    rss: Rss,
  }),
  z.object({ type: z.literal('load-failed'), message: z.string() }),
  z.object({
    type: z.literal('result'),
    id: z.number().int(),
    probability: z.number().min(0).max(1),
    embedding: z.instanceof(Float32Array).nullable(),
    rss: Rss,
  }),
  z.object({ type: z.literal('error'), id: z.number().int(), message: z.string(), rss: Rss }),
]);
export type FromWorker = z.infer<typeof FromWorkerSchema>;

export const MAX_BATCH = 8;
