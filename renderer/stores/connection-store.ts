import { create } from 'zustand';
import type { ConnectionState } from '../../shared/transport/transport.js';

interface ConnectionStore {
  state: ConnectionState;
  /** The last error a store's stream or load reported, for the banner to show. */
  lastError: string | null;
}

export const useConnectionStore = create<ConnectionStore>(() => ({ state: 'connecting', lastError: null }));
