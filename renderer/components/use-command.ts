import { useState } from 'react';
import { useClient } from '../client-context.js';

/** Commands that take no input: buttons run them, show they are busy, and say why one failed. */
type NoInputCommand = 'miner.start' | 'miner.stop' | 'vlm.start' | 'vlm.stop';

export interface CommandButtonState {
  busy: boolean;
  failure: string | null;
  run: (command: NoInputCommand) => void;
}

export function useCommandButton(): CommandButtonState {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  return {
    busy,
    failure,
    run: (command) => {
      setBusy(true);
      setFailure(null);
      client
        .call(command, {})
        .catch((error: unknown) => setFailure(error instanceof Error ? error.message : String(error)))
        .finally(() => setBusy(false));
    },
  };
}
