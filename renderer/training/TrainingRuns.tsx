import type { ReactElement } from 'react';

/** The runs on the trainer host: being built (issue 7). */
export function TrainingRuns(): ReactElement {
  return (
    <section className="card card-wide" aria-label="Runs">
      <h2>Runs</h2>
      <p>Runs on the training GPU appear here.</p>
    </section>
  );
}
