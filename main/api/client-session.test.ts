import { describe, expect, it } from 'vitest';
import type { EventBatch } from '../../shared/transport/wire.js';
import { useTestHosts } from '../../tests/test-host.js';
import { ClientSession, MAX_QUEUED_EVENTS_PER_SUBSCRIPTION } from './client-session.js';

const testHost = useTestHosts();

function recordingSink(): {
  batches: EventBatch[][];
  errors: unknown[];
  sink: ConstructorParameters<typeof ClientSession>[1];
} {
  const batches: EventBatch[][] = [];
  const errors: unknown[] = [];
  return {
    batches,
    errors,
    sink: { sendEvents: (b) => batches.push(b), sendStreamError: (id, error) => errors.push({ id, error }) },
  };
}

describe('ClientSession', () => {
  it('sends a burst of events as one message, not one per event', async () => {
    const host = await testHost();
    const { batches, sink } = recordingSink();
    const session = new ClientSession(host.endpoint, sink, 10);
    session.subscribe(1, 'log.entries', { backlog: 0 });
    for (let i = 0; i < 200; i++) host.log.write('info', 'burst', `line ${i}`);
    await expect.poll(() => batches.length).toBe(1);
    const logBatches = batches.flat().filter((batch) => batch.id === 1);
    expect(logBatches[0]?.events).toHaveLength(200);
    session.dispose();
  });

  it('stops sending a stream once unsubscribed, and everything once disposed', async () => {
    const host = await testHost();
    const { batches, sink } = recordingSink();
    const session = new ClientSession(host.endpoint, sink, 5);
    session.subscribe(1, 'log.entries', { backlog: 0 });
    session.subscribe(2, 'log.entries', { backlog: 0 });
    session.unsubscribe(1);
    host.log.write('info', 'test', 'one');
    await expect.poll(() => batches.length).toBe(1);
    expect(batches.flat().map((batch) => batch.id)).toEqual([2]);
    session.dispose();
    expect(session.subscriptionCount).toBe(0);
    host.log.write('info', 'test', 'two');
    // Four flush intervals: the sleep is what is tested (nothing sent once disposed), not a wait.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(batches).toHaveLength(1);
  });

  it('answers a refused subscription with a stream error for that id', async () => {
    const host = await testHost();
    const { errors, sink } = recordingSink();
    const session = new ClientSession(host.endpoint, sink);
    session.subscribe(7, 'nope', {});
    expect(errors).toMatchObject([{ id: 7, error: { code: 'unknown_stream' } }]);
  });

  it('drops the oldest events of a stream that is not being read rather than growing without bound', async () => {
    const host = await testHost();
    const { batches, sink } = recordingSink();
    const session = new ClientSession(host.endpoint, sink, 50);
    session.subscribe(1, 'log.entries', { backlog: 0 });
    for (let i = 0; i < MAX_QUEUED_EVENTS_PER_SUBSCRIPTION + 10; i++) host.log.write('info', 'flood', `line ${i}`);
    await expect.poll(() => batches.length).toBe(1);
    const events = batches.flat()[0]?.events as { message: string }[];
    expect(events).toHaveLength(MAX_QUEUED_EVENTS_PER_SUBSCRIPTION);
    expect(events.at(-1)?.message).toBe(`line ${MAX_QUEUED_EVENTS_PER_SUBSCRIPTION + 9}`);
    session.dispose();
  });
});
