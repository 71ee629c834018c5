import type { ReactElement } from 'react';

/** Terminals to the trainer host: being built (issue 7). */
export function TerminalPanel(): ReactElement {
  return (
    <section className="card card-wide" aria-label="Terminals">
      <h2>Terminal</h2>
      <p>Terminals to the training box appear here.</p>
    </section>
  );
}
