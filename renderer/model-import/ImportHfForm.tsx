import { useState, type ReactElement } from 'react';
import { SUBNET_BASE_MODEL, type ImportWhere } from '../../shared/domain/model-import.js';
import { useLatest } from '../api/use-stream.js';
import { useClient } from '../client-context.js';
import { FailureNote } from '../components/FailureNote.js';
import { useAction } from '../components/use-action.js';
import { ImportProgress } from './ImportProgress.js';

const RUNNING = new Set(['downloading', 'converting', 'registering']);

/**
 * Import from Hugging Face: a repository on the Hub (the subnet's base model first) or a folder
 * of its files on the back end's disk, converted to ONNX on the training box or here.
 */
export function ImportHfForm({ onImported }: { onImported: (id: string) => void }): ReactElement {
  const client = useClient();
  // The latest import as the back end streams it (null: none this session).
  const { latest: current, failure } = useLatest('models.importProgress', {});
  const [from, setFrom] = useState<'hub' | 'folder'>('hub');
  const [repo, setRepo] = useState(SUBNET_BASE_MODEL);
  const [revision, setRevision] = useState('main');
  const [dir, setDir] = useState('');
  const [where, setWhere] = useState<ImportWhere>('trainer');
  const action = useAction();
  const running = current !== null && RUNNING.has(current.phase);
  const ready = from === 'hub' ? repo.trim() !== '' : dir.trim() !== '';
  return (
    <section className="hf-import" aria-label="Import from Hugging Face">
      <h3>Import from Hugging Face</h3>
      <form
        className="hf-import-form"
        onSubmit={(event) => {
          event.preventDefault();
          action.run(() =>
            from === 'hub'
              ? client.call('models.importHf', { repo: repo.trim(), revision: revision.trim() || 'main', where })
              : client.call('models.importFolder', { dir: dir.trim(), where }),
          );
        }}
      >
        <label>
          From
          <select value={from} onChange={(event) => setFrom(event.target.value as 'hub' | 'folder')}>
            <option value="hub">the Hub</option>
            <option value="folder">a folder on the console's machine</option>
          </select>
        </label>
        {from === 'hub' ? (
          <>
            <label>
              Repository
              <input value={repo} onChange={(event) => setRepo(event.target.value)} placeholder={SUBNET_BASE_MODEL} />
            </label>
            <label>
              Revision
              <input value={revision} onChange={(event) => setRevision(event.target.value)} size={10} />
            </label>
          </>
        ) : (
          <label>
            Folder
            <input value={dir} onChange={(event) => setDir(event.target.value)} placeholder="/data/hf/roadwork" />
          </label>
        )}
        <label>
          Convert on
          <select value={where} onChange={(event) => setWhere(event.target.value as ImportWhere)}>
            <option value="trainer">the training box</option>
            <option value="local">this machine (needs PyTorch)</option>
          </select>
        </label>
        {running ? (
          <button type="button" onClick={() => action.run(() => client.call('models.importCancel', {}))}>
            Stop
          </button>
        ) : (
          <button type="submit" disabled={action.busy || !ready}>
            Import
          </button>
        )}
        {action.failure && <span className="form-error">{action.failure}</span>}
      </form>
      <FailureNote failure={failure} />
      {current && <ImportProgress current={current} onShow={onImported} />}
    </section>
  );
}
