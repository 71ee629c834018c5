import { create } from 'zustand';
import type { MinerStatus } from '../../shared/domain/miner.js';

interface MinerStore {
  status: MinerStatus | null;
}

export const useMinerStore = create<MinerStore>(() => ({ status: null }));
