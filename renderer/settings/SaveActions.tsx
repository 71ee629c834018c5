import type { ReactElement } from 'react';
import type { SaveState } from './use-settings-draft.js';

/** A settings form's Save button and what came of the last save. */
export function SaveActions({ label, save }: { label: string; save: SaveState }): ReactElement {
  return (
    <div className="form-actions">
      <button type="submit" disabled={save.kind === 'saving'}>
        {label}
      </button>
      <p role="status" className={save.kind === 'error' ? 'form-error' : 'muted'}>
        {save.kind === 'saved' ? 'Saved.' : save.kind === 'error' ? save.message : ''}
      </p>
    </div>
  );
}
