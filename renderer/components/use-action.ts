import { useState } from 'react';
import { errorMessage } from '../../shared/errors.js';

export interface Action {
  busy: boolean;
  failure: string | null;
  /** Runs one piece of work at a time; its failure is kept to show beside the button. */
  run: (work: () => Promise<unknown>) => void;
}

/** A button's work: busy while it runs, and why it failed. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  return {
    busy,
    failure,
    run: (work) => {
      setBusy(true);
      setFailure(null);
      work()
        .catch((error: unknown) => setFailure(errorMessage(error)))
        .finally(() => setBusy(false));
    },
  };
}
