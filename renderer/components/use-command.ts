import { useClient } from '../client-context.js';
import { useAction } from './use-action.js';

/** Commands that take no input: buttons run them, show they are busy, and say why one failed. */
type NoInputCommand = 'miner.start' | 'miner.stop' | 'vlm.start' | 'vlm.stop';

export interface CommandButtonState {
  busy: boolean;
  failure: string | null;
  run: (command: NoInputCommand) => void;
}

export function useCommandButton(): CommandButtonState {
  const client = useClient();
  const action = useAction();
  return { ...action, run: (command) => action.run(() => client.call(command, {})) };
}
