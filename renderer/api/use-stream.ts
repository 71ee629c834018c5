import { useEffect, useRef, useState } from 'react';
import type { StreamEvent, StreamName, StreamParams } from '../../shared/contract.js';
import { useClient } from '../client-context.js';

/**
 * The one way a component follows a stream: subscribed while the component is on screen (again
 * when the stream's params change), unsubscribed when it goes. Each batch goes to `onEvents`;
 * the answer is why the stream failed (an event that broke the contract, or the back end ending
 * the stream with an error), for the component to show rather than fall silent. A good batch
 * clears it. Params null: not subscribed (yet).
 *
 * Streams whose state the whole console shares are fed into the stores once, in wireStores.
 */
export function useStream<K extends StreamName>(
  name: K,
  params: StreamParams<K> | null,
  onEvents: (events: StreamEvent<K>[]) => void,
): string | null {
  const client = useClient();
  // The newest handler, without subscribing again each render.
  const handler = useRef(onEvents);
  useEffect(() => {
    handler.current = onEvents;
  });
  // Params compared by value: a literal written in the render is the same subscription.
  const key = params === null ? null : `${name} ${JSON.stringify(params)}`;
  const [failure, setFailure] = useState<{ key: string; message: string } | null>(null);

  useEffect(() => {
    if (key === null || params === null) return undefined;
    return client.subscribe(
      name,
      params,
      (events) => {
        setFailure(null);
        handler.current(events);
      },
      (error) => setFailure({ key, message: error.message }),
    );
    // `key` stands for `name` and `params`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, key]);

  return failure !== null && failure.key === key ? failure.message : null;
}

/** A stream's newest event (null until the first) and why it failed, as `useStream` reports it. */
export function useLatest<K extends StreamName>(
  name: K,
  params: StreamParams<K> | null,
): { latest: StreamEvent<K> | null; failure: string | null } {
  const [latest, setLatest] = useState<StreamEvent<K> | null>(null);
  const failure = useStream(name, params, (events) => setLatest(events.at(-1) ?? null));
  return { latest, failure };
}
