import type { ReactElement } from 'react';
import type { AlertSettings } from '../../shared/domain/alerts.js';
import type { Settings, SettingsPatch } from '../../shared/domain/settings.js';
import { CheckboxField } from './CheckboxField.js';
import { SaveActions } from './SaveActions.js';
import { useSettingsForm } from './use-settings-form.js';

/** Each switch with what it covers, in the operator's words. */
const SWITCHES: { key: keyof AlertSettings; label: string }[] = [
  { key: 'minerDown', label: 'The miner stopped without being told to, or failed to start' },
  { key: 'axon', label: 'The axon cannot be reached at its public address, or the chain advertises another' },
  { key: 'rankDrop', label: 'The rank fell by more than five places' },
  { key: 'deregistrationRisk', label: 'Our uid is among the next to be deregistered' },
  { key: 'modelAge', label: 'The live model reached day 60, 75 or 90 of its publication' },
  { key: 'trainingFailed', label: 'The latest training run failed' },
  { key: 'notify', label: 'Also as desktop notifications (warnings and critical alerts)' },
];

const toDraft = (settings: Settings): AlertSettings => ({ ...settings.alerts });
const toPatch = (draft: AlertSettings): SettingsPatch => ({ alerts: draft });

/** Which alerts the console raises; the in-app list shows every one that is on. */
export function AlertSettingsForm({ settings }: { settings: Settings }): ReactElement {
  const { draft, set, save, submit } = useSettingsForm(settings, toDraft, toPatch);
  return (
    <form
      className="card card-wide settings-form"
      aria-label="Alert settings"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <h2>Alerts</h2>
      {SWITCHES.map(({ key, label }) => (
        <CheckboxField key={key} checked={draft[key]} onChange={(on) => set({ [key]: on })}>
          {label}
        </CheckboxField>
      ))}
      <SaveActions label="Save alert settings" save={save} />
    </form>
  );
}
