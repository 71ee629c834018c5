import { useState } from 'react';
import type { Settings } from '../../shared/domain/settings.js';

export type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'error'; message: string };

export interface SettingsDraft<D> {
  draft: D;
  set: (patch: Partial<D>) => void;
  /** After a save: the saved settings are the new base, and the draft shows them. */
  settle: (saved: Settings) => void;
}

/**
 * A form's draft of some settings. Another console may change the settings: the draft follows
 * them unless the operator is mid-edit (adjusting state during render, as React advises, rather
 * than in an effect).
 */
export function useSettingsDraft<D>(settings: Settings, toDraft: (settings: Settings) => D): SettingsDraft<D> {
  const [draft, setDraft] = useState<D>(() => toDraft(settings));
  const [base, setBase] = useState(settings);
  if (settings !== base) {
    setBase(settings);
    if (JSON.stringify(draft) === JSON.stringify(toDraft(base))) setDraft(toDraft(settings));
  }
  return {
    draft,
    set: (patch) => setDraft((current) => ({ ...current, ...patch })),
    settle: (saved) => {
      setBase(saved);
      setDraft(toDraft(saved));
    },
  };
}
