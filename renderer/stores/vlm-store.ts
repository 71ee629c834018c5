import { create } from 'zustand';
import type { VlmServerStatus } from '../../shared/domain/vlm-server.js';

interface VlmStore {
  status: VlmServerStatus | null;
}

export const useVlmStore = create<VlmStore>(() => ({ status: null }));
