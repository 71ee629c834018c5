import { useState, type ReactElement } from 'react';
import type { TrainerHost } from '../../shared/domain/trainer-host.js';
import { draftToHost, type HostDraft, type HostFieldErrors } from './host-draft.js';
import { TextField } from './TextField.js';
import { errorMessage } from '../../shared/errors.js';
import { FailureNote } from '../components/FailureNote.js';
import { CheckboxField } from './CheckboxField.js';

interface Props {
  /** "Add a host" or "Edit <name>". */
  title: string;
  initial: HostDraft;
  /** The id the host keeps (an edit) or gets (a new one). */
  id: string;
  onSave: (host: TrainerHost) => Promise<void>;
  onCancel: () => void;
}

/** Adds or edits one trainer host; each field's message is the host schema's, shown by the field. */
export function HostForm({ title, initial, id, onSave, onCancel }: Props): ReactElement {
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<HostFieldErrors>({});
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const set = (patch: Partial<HostDraft>): void => {
    const next = { ...draft, ...patch };
    setDraft(next);
    // Once a save was refused, messages follow the typing, so the operator sees each one clear.
    if (tried) {
      const checked = draftToHost(next, id);
      setErrors(checked.ok ? {} : checked.errors);
    }
  };

  const submit = (): void => {
    setTried(true);
    const checked = draftToHost(draft, id);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    setFailure(null);
    onSave(checked.host)
      .catch((error: unknown) => setFailure(errorMessage(error)))
      .finally(() => setBusy(false));
  };

  return (
    <form
      className="settings-form host-form"
      aria-label={title}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <h3>{title}</h3>
      <TextField
        label="Name"
        value={draft.name}
        error={errors.name}
        placeholder="lambda A100"
        onChange={(name) => set({ name })}
      />
      <TextField
        label="Host"
        value={draft.host}
        error={errors.host}
        placeholder="gpu.example.org or 203.0.113.7"
        onChange={(host) => set({ host })}
      />
      <TextField
        label="Port"
        value={draft.port}
        error={errors.port}
        inputMode="numeric"
        onChange={(port) => set({ port })}
      />
      <TextField label="User" value={draft.user} error={errors.user} onChange={(user) => set({ user })} />
      <CheckboxField checked={draft.useAgent} onChange={(useAgent) => set({ useAgent })}>
        Use the ssh agent (SSH_AUTH_SOCK) instead of a key file
      </CheckboxField>
      {!draft.useAgent && (
        <TextField
          label="Key file"
          value={draft.keyFile}
          error={errors.keyFile}
          placeholder="~/.ssh/id_ed25519"
          onChange={(keyFile) => set({ keyFile })}
        />
      )}
      <TextField
        label="Work folder on the host"
        value={draft.workDir}
        error={errors.workDir}
        placeholder="~/streetvision"
        onChange={(workDir) => set({ workDir })}
      />
      <TextField
        label="Python command"
        value={draft.python}
        error={errors.python}
        placeholder="python3, or /opt/conda/bin/python"
        onChange={(python) => set({ python })}
      />
      <div className="form-actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save host'}
        </button>
        <button type="button" className="button-stop" onClick={onCancel}>
          Cancel
        </button>
        <FailureNote failure={failure} />
      </div>
    </form>
  );
}
