import type { ReactElement } from 'react';
import { useConnectionStore } from '../stores/connection-store.js';

const MESSAGES = {
  connecting: 'Connecting to the back end…',
  reconnecting: 'The link to the back end dropped; reconnecting…',
  unauthorized: 'This console session is no longer accepted: open the URL the host printed when it started.',
  closed: 'The console is closed.',
} as const;

/** Says so, plainly, whenever what the operator sees may be stale. */
export function ConnectionBanner(): ReactElement | null {
  const state = useConnectionStore((store) => store.state);
  if (state === 'open') return null;
  return (
    <div className={`banner banner-${state === 'unauthorized' ? 'error' : 'warn'}`} role="status">
      {MESSAGES[state]}
    </div>
  );
}
