import { create } from 'zustand';
import type { Settings } from '../../shared/domain/settings.js';

interface SettingsStore {
  settings: Settings | null;
}

export const useSettingsStore = create<SettingsStore>(() => ({ settings: null }));
