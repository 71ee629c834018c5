import { useState } from 'react';
import type { Settings, SettingsPatch } from '../../shared/domain/settings.js';
import { useClient } from '../client-context.js';
import { settingsFieldErrors, type SettingsFieldErrors } from './settings-errors.js';
import { useSettingsDraft, type SaveState, type SettingsDraft } from './use-settings-draft.js';
import { errorMessage } from '../../shared/errors.js';

export interface SettingsForm<D> extends SettingsDraft<D> {
  /** The schema's messages by field ("section.field") from the last attempt to save. */
  errors: SettingsFieldErrors;
  save: SaveState;
  /** Checks the draft as the back end will, and saves it when it passes. */
  submit: () => void;
}

/** A settings form: its draft, its field errors, and a save that refuses what the schema would. */
export function useSettingsForm<D>(
  settings: Settings,
  toDraft: (settings: Settings) => D,
  toPatch: (draft: D) => SettingsPatch,
): SettingsForm<D> {
  const client = useClient();
  const form = useSettingsDraft(settings, toDraft);
  const [errors, setErrors] = useState<SettingsFieldErrors>({});
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const submit = (): void => {
    const patch = toPatch(form.draft);
    const found = settingsFieldErrors(settings, patch);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setSave({ kind: 'error', message: 'Not saved: see the fields marked.' });
      return;
    }
    setSave({ kind: 'saving' });
    client.call('settings.update', patch).then(
      (saved) => {
        form.settle(saved);
        setSave({ kind: 'saved' });
      },
      (error: unknown) => setSave({ kind: 'error', message: errorMessage(error) }),
    );
  };
  return { ...form, errors, save, submit };
}
