import { useState, type ReactElement } from 'react';
import { useClient } from '../client-context.js';
import { useAction } from '../components/use-action.js';

/** Registers a folder on the back end's disk that holds model.json and its ONNX file. */
export function ImportModelForm({ onImported }: { onImported: (id: string) => void }): ReactElement {
  const client = useClient();
  const [dir, setDir] = useState('');
  const action = useAction();
  return (
    <form
      className="inline-form"
      aria-label="Import a model"
      onSubmit={(event) => {
        event.preventDefault();
        action.run(async () => {
          const model = await client.call('models.import', { dir: dir.trim() });
          setDir('');
          onImported(model.id);
        });
      }}
    >
      <label>
        Model folder
        <input value={dir} onChange={(event) => setDir(event.target.value)} placeholder="/data/runs/run-12/model" />
      </label>
      <button type="submit" disabled={action.busy || !dir.trim()}>
        {action.busy ? 'Importing…' : 'Import'}
      </button>
      {action.failure && <span className="form-error">{action.failure}</span>}
    </form>
  );
}
