import type { ReactElement } from 'react';
import { PageHeader } from './Card.js';

/** A page whose room is not built yet: says what it will do, so the operator knows the plan. */
export function ComingSoon({
  title,
  subtitle,
  plans,
}: {
  title: string;
  subtitle: string;
  plans: string[];
}): ReactElement {
  return (
    <>
      <PageHeader title={title} subtitle={subtitle} />
      <section className="card card-wide coming-soon" aria-label="What this page will do">
        <h2>Coming to this page</h2>
        <ul>
          {plans.map((plan) => (
            <li key={plan}>{plan}</li>
          ))}
        </ul>
      </section>
    </>
  );
}
