import { useState, type ReactElement } from 'react';
import type { PriceImport as PriceImportResult } from '../../shared/domain/earnings.js';
import { useClient } from '../client-context.js';
import { useAction } from '../components/use-action.js';

/** The back end names the command a failure came from; here the sentence alone reads better. */
const COMMAND_PREFIX = /^earnings\.importPrices: /;

/** Import a TAO/USD price list ("YYYY-MM-DD,price" lines): each listed day uses its own price. */
export function PriceImport(): ReactElement {
  const client = useClient();
  const action = useAction();
  const [result, setResult] = useState<PriceImportResult | null>(null);
  return (
    <div className="price-import">
      <label>
        Import TAO/USD prices (CSV of date,price)
        <input
          type="file"
          accept=".csv,text/csv,text/plain"
          disabled={action.busy}
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (!file) return;
            setResult(null);
            action.run(async () => setResult(await client.call('earnings.importPrices', { csv: await file.text() })));
          }}
        />
      </label>
      <p role="status" className={action.failure ? 'form-error' : 'muted'} data-testid="price-import-status">
        {action.failure?.replace(COMMAND_PREFIX, '') ??
          (result ? `Imported ${result.imported} prices, ${result.first ?? ''} to ${result.last ?? ''}.` : '')}
      </p>
    </div>
  );
}
