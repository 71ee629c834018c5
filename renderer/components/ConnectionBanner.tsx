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
  const lastError = useConnectionStore((store) => store.lastError);
  if (state === 'open') {
    // A stream the stores follow failed: what it feeds stops changing until the link is made again.
    if (lastError === null) return null;
    return (
      <div className="banner banner-error" role="alert">
        A live update failed: {lastError}
      </div>
    );
  }
  return (
    <div className={`banner banner-${state === 'unauthorized' ? 'error' : 'warn'}`} role="status">
      {MESSAGES[state]}
    </div>
  );
}
