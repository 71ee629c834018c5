import type { ReactElement } from 'react';
import type { Settings, SettingsPatch } from '../../shared/domain/settings.js';
import { typedNumber } from './settings-errors.js';
import { TextField } from './TextField.js';
import { useSettingsForm } from './use-settings-form.js';
import { CheckboxField } from './CheckboxField.js';
import { SaveActions } from './SaveActions.js';

interface Draft {
  scheduleEnabled: boolean;
  start: string;
  end: string;
  minNewLabels: string;
  epochs: string;
  batchSize: string;
  base: string;
  syntheticShare: string;
  maxMccDrop: string;
  requireRehearsal: boolean;
}

function toDraft(settings: Settings): Draft {
  const { schedule, training, deploy } = settings;
  return {
    scheduleEnabled: schedule.enabled,
    start: schedule.start,
    end: schedule.end,
    minNewLabels: String(schedule.minNewLabels),
    epochs: String(training.epochs),
    batchSize: String(training.batchSize),
    base: training.base,
    syntheticShare: String(training.syntheticShare),
    maxMccDrop: String(deploy.maxMccDrop),
    requireRehearsal: deploy.requireRehearsal,
  };
}

function toPatch(draft: Draft): SettingsPatch {
  return {
    schedule: {
      enabled: draft.scheduleEnabled,
      start: draft.start.trim(),
      end: draft.end.trim(),
      minNewLabels: typedNumber(draft.minNewLabels),
    },
    training: {
      epochs: typedNumber(draft.epochs),
      batchSize: typedNumber(draft.batchSize),
      base: draft.base.trim(),
      syntheticShare: typedNumber(draft.syntheticShare),
    },
    deploy: { maxMccDrop: typedNumber(draft.maxMccDrop), requireRehearsal: draft.requireRehearsal },
  };
}

/** The nightly schedule, the defaults of each run, and the gate a candidate passes before it deploys. */
export function TrainingSettingsForm({ settings }: { settings: Settings }): ReactElement {
  const { draft, set, errors, save, submit } = useSettingsForm(settings, toDraft, toPatch);

  return (
    <form
      className="card card-wide settings-form"
      aria-label="Training settings"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <h2>Nightly schedule</h2>
      <CheckboxField checked={draft.scheduleEnabled} onChange={(scheduleEnabled) => set({ scheduleEnabled })}>
        Start a training run by itself in the nightly window when enough new labels exist
      </CheckboxField>
      <TextField
        label="Window starts (local time)"
        value={draft.start}
        error={errors['schedule.start']}
        placeholder="23:00"
        onChange={(start) => set({ start })}
      />
      <TextField
        label="Window ends (may be past midnight)"
        value={draft.end}
        error={errors['schedule.end']}
        placeholder="01:00"
        onChange={(end) => set({ end })}
      />
      <TextField
        label="New labels that make a run worth it"
        value={draft.minNewLabels}
        error={errors['schedule.minNewLabels']}
        inputMode="numeric"
        onChange={(minNewLabels) => set({ minNewLabels })}
      />
      <h2>Training</h2>
      <TextField
        label="Epochs"
        value={draft.epochs}
        error={errors['training.epochs']}
        inputMode="numeric"
        onChange={(epochs) => set({ epochs })}
      />
      <TextField
        label="Batch size"
        value={draft.batchSize}
        error={errors['training.batchSize']}
        inputMode="numeric"
        onChange={(batchSize) => set({ batchSize })}
      />
      <TextField
        label="Base model (small-cnn, or hf:<repo or folder on the box>)"
        value={draft.base}
        error={errors['training.base']}
        onChange={(base) => set({ base })}
      />
      <TextField
        label="Share of generated scenes in each dataset (0 to 0.9; the plan: 0.3)"
        value={draft.syntheticShare}
        error={errors['training.syntheticShare']}
        inputMode="decimal"
        onChange={(syntheticShare) => set({ syntheticShare })}
      />
      <h2>Deploy gate</h2>
      <TextField
        label="Largest MCC drop against the live model on the held-out set (0: no worse)"
        value={draft.maxMccDrop}
        error={errors['deploy.maxMccDrop']}
        inputMode="decimal"
        onChange={(maxMccDrop) => set({ maxMccDrop })}
      />
      <CheckboxField checked={draft.requireRehearsal} onChange={(requireRehearsal) => set({ requireRehearsal })}>
        Also require the rehearsal on the local subnet to be no worse
      </CheckboxField>
      <SaveActions label="Save training settings" save={save} />
    </form>
  );
}
