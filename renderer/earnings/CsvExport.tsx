import type { ReactElement } from 'react';
import { useClient } from '../client-context.js';
import { useAction } from '../components/use-action.js';

/** Every day of the history as a CSV file, saved through a Blob URL (the CSP allows blob: downloads). */
export function CsvExport(): ReactElement {
  const client = useClient();
  const action = useAction();
  const save = async (): Promise<void> => {
    const { filename, csv } = await client.call('earnings.csv', { days: 3650 });
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    link.click();
    // The download has its own copy once started.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <div className="csv-export">
      <button type="button" disabled={action.busy} onClick={() => action.run(save)}>
        Export CSV
      </button>
      {action.failure && <p className="form-error">{action.failure}</p>}
    </div>
  );
}
