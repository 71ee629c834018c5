import type { ReactElement, ReactNode } from 'react';

export function Card({ title, children, wide }: { title: string; children: ReactNode; wide?: boolean }): ReactElement {
  return (
    <section className={wide ? 'card card-wide' : 'card'} aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/** `hint`: what the label means, shown when the pointer rests on it. */
export function Field({ label, hint, children }: { label: string; hint?: string; children: ReactNode }): ReactElement {
  return (
    <div className="field">
      <dt title={hint}>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function PageHeader({ title, subtitle }: { title: string; subtitle: string }): ReactElement {
  return (
    <header className="page-header">
      <h1 id="page-title">{title}</h1>
      <p>{subtitle}</p>
    </header>
  );
}
