import { create } from 'zustand';
import type { MetagraphView, StandingPoint } from '../../shared/domain/metagraph.js';

interface MetagraphStore {
  view: MetagraphView | null;
  history: StandingPoint[];
}

export const useMetagraphStore = create<MetagraphStore>(() => ({ view: null, history: [] }));
