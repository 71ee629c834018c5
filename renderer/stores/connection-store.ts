import { create } from 'zustand';
import type { ConnectionState } from '../../shared/transport/transport.js';

interface ConnectionStore {
  state: ConnectionState;
  /** The last error the back end or the contract reported, for the status bar. */
  lastError: string | null;
}

export const useConnectionStore = create<ConnectionStore>(() => ({ state: 'connecting', lastError: null }));
