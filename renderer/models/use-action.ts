import { useState } from 'react';

export interface Action {
  busy: boolean;
  failure: string | null;
  /** Runs one piece of work at a time; its failure is kept to show beside the button. */
  run: (work: () => Promise<unknown>) => void;
}

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
        .catch((error: unknown) => setFailure(error instanceof Error ? error.message : String(error)))
        .finally(() => setBusy(false));
    },
  };
}
