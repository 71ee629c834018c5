import { useState, type ReactElement } from 'react';
import type { z } from 'zod';
import type { ExportSummarySchema } from '../../shared/domain/hard-case.js';
import { useClient } from '../client-context.js';
import { errorMessage } from '../../shared/errors.js';

type Summary = z.infer<typeof ExportSummarySchema>;

/**
 * Writes the labelled cases as a dataset for the trainer: an ImageFolder with manifest.jsonl, the
 * held-out split fixed by each image's hash, generated scenes mixed in at the share the plan uses.
 */
export function ExportPanel(): ReactElement {
  const client = useClient();
  const [out, setOut] = useState('');
  const [heldOut, setHeldOut] = useState(10);
  const [synthetic, setSynthetic] = useState(30);
  const [busy, setBusy] = useState(false);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <section className="side-section" aria-label="Export">
      <h2>Export a dataset</h2>
      <form
        className="stacked-form"
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          setFailure(null);
          setSummary(null);
          client
            .call('hardcases.export', {
              out: out.trim(),
              heldOut: heldOut / 100,
              syntheticShare: synthetic / 100,
              seed: 1,
            })
            .then(setSummary, (error: unknown) => setFailure(errorMessage(error)))
            .finally(() => setBusy(false));
        }}
      >
        <label>
          Folder (new or empty)
          <input
            value={out}
            onChange={(event) => setOut(event.target.value)}
            placeholder="/data/streetvision/dataset-1"
          />
        </label>
        <label>
          Held out for evaluation, %
          <input
            type="number"
            min={0}
            max={50}
            value={heldOut}
            onChange={(event) => setHeldOut(Number(event.target.value))}
          />
        </label>
        <label>
          Generated scenes in training, %
          <input
            type="number"
            min={0}
            max={90}
            value={synthetic}
            onChange={(event) => setSynthetic(Number(event.target.value))}
          />
        </label>
        <button type="submit" disabled={busy || !out.trim()}>
          {busy ? 'Exporting…' : 'Export'}
        </button>
      </form>
      {failure && <p className="form-error">{failure}</p>}
      {summary && (
        <p role="status" data-testid="export-summary">
          {summary.real} labelled + {summary.synthetic} generated: {summary.train} train, {summary.val} held out (
          {summary.roadwork} roadwork, {summary.none} none).{' '}
          <span className="mono">{summary.dataHash.slice(0, 19)}…</span>
        </p>
      )}
    </section>
  );
}
