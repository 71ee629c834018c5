import { useState, type ReactElement } from 'react';
import { useClient } from '../client-context.js';
import { filesFromInput, type DroppedFile } from './dropped-files.js';
import { runQuery } from './gallery-actions.js';
import { uploadAndImport, type ImportVerdict, type UploadProgress } from './upload-files.js';
import { errorMessage } from '../../shared/errors.js';

export interface ImportState {
  busy: boolean;
  progress: UploadProgress | null;
  verdicts: ImportVerdict[] | null;
  failure: string | null;
}

/** Runs one import (from a drop, a pick or a path) and keeps its verdicts to show. */
export interface Importer {
  state: ImportState;
  importFiles: (files: DroppedFile[]) => void;
  importPath: (path: string) => void;
}

export function useImporter(): Importer {
  const client = useClient();
  const [state, setState] = useState<ImportState>({ busy: false, progress: null, verdicts: null, failure: null });
  const run = (work: (onProgress: (progress: UploadProgress) => void) => Promise<ImportVerdict[]>): void => {
    setState({ busy: true, progress: null, verdicts: null, failure: null });
    work((progress) => setState((current) => ({ ...current, progress })))
      .then((verdicts) => {
        setState({ busy: false, progress: null, verdicts, failure: null });
        void runQuery(client);
      })
      .catch((error: unknown) =>
        setState({
          busy: false,
          progress: null,
          verdicts: null,
          failure: errorMessage(error),
        }),
      );
  };
  return {
    state,
    importFiles: (files) => {
      if (files.length > 0) run((onProgress) => uploadAndImport(client, files, onProgress));
    },
    importPath: (path) => run(() => client.call('hardcases.import', { paths: [path] })),
  };
}

function Verdicts({ verdicts }: { verdicts: ImportVerdict[] }): ReactElement {
  const added = verdicts.filter((verdict) => verdict.status === 'added').length;
  const duplicates = verdicts.filter((verdict) => verdict.status === 'duplicate').length;
  const refused = verdicts.filter((verdict) => verdict.status === 'refused');
  return (
    <div className="import-verdicts" role="status" data-testid="import-verdicts">
      <p>
        Added {added}, already there {duplicates}, refused {refused.length}.
      </p>
      {refused.length > 0 && (
        <ul>
          {refused.map((verdict) => (
            <li key={verdict.path}>
              <span className="mono">{verdict.path}</span> {verdict.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * Adding images: drop files or folders anywhere on the gallery, pick them here, or name a folder
 * on the miner's own disk (a remote console's files are not there).
 */
export function ImportPanel({ importer }: { importer: Importer }): ReactElement {
  const [path, setPath] = useState('');
  const { state } = importer;
  return (
    <section className="side-section" aria-label="Import">
      <h2>Import</h2>
      <p className="muted">
        Drop images or folders on the gallery. A folder with roadwork/ and none/ brings its labels.
      </p>
      <div className="form-actions">
        <label className="file-button">
          Add images…
          <input
            type="file"
            accept="image/jpeg,image/png,image/webp"
            multiple
            data-testid="import-files"
            onChange={(event) => {
              importer.importFiles(filesFromInput(event.currentTarget.files!));
              event.currentTarget.value = '';
            }}
          />
        </label>
        <label className="file-button">
          Add a folder…
          <input
            type="file"
            data-testid="import-folder"
            // React does not know the attribute; Chromium (and Electron) do.
            {...{ webkitdirectory: '' }}
            onChange={(event) => {
              importer.importFiles(filesFromInput(event.currentTarget.files!));
              event.currentTarget.value = '';
            }}
          />
        </label>
      </div>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (path.trim()) importer.importPath(path.trim());
        }}
      >
        <input
          aria-label="Folder on the miner's disk"
          placeholder="/path/on/the/miner"
          value={path}
          onChange={(event) => setPath(event.target.value)}
        />
        <button type="submit" disabled={state.busy || !path.trim()}>
          Import
        </button>
      </form>
      {state.busy && (
        <p className="muted" role="status">
          Importing…
          {state.progress &&
            ` ${Math.round((100 * state.progress.sentBytes) / Math.max(1, state.progress.totalBytes))} % sent`}
        </p>
      )}
      {state.failure && <p className="form-error">{state.failure}</p>}
      {state.verdicts && <Verdicts verdicts={state.verdicts} />}
    </section>
  );
}
