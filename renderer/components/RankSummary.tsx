import type { ReactElement } from 'react';
import { RANK_MEANING, type MetagraphView } from '../../shared/domain/metagraph.js';
import { Field } from './Card.js';

const RISK_LABELS = { immune: 'Immune', safe: 'Safe', 'at-risk': 'At risk' } as const;

/** Where we stand: rank, incentive, emission and deregistration risk, from whichever metagraph feeds the console. */
export function RankSummary({ view }: { view: MetagraphView | null }): ReactElement {
  if (!view || view.source === 'none') return <p className="muted">Start mining to see where you stand.</p>;
  const { standing, metagraph } = view;
  if (!standing || !metagraph) {
    return (
      <p className="muted" data-testid="rank-waiting">
        {view.source === 'local'
          ? 'The local validators are scoring the first tempo…'
          : 'This hotkey is not in the metagraph.'}
      </p>
    );
  }
  return (
    <dl>
      <Field label="Rank by incentive" hint={RANK_MEANING}>
        <span data-testid="rank" className="rank" title={RANK_MEANING}>
          {standing.rank} of {standing.miners}
        </span>{' '}
        <span className="muted">({standing.percentile.toFixed(0)}th percentile)</span>
      </Field>
      <Field label="Uid">{standing.uid}</Field>
      <Field label="Incentive">{standing.incentive.toFixed(4)}</Field>
      <Field label="Emission / day">
        {standing.emissionPerDayAlpha.toFixed(2)} α
        {standing.emissionPerDayTao === null ? '' : ` · ${standing.emissionPerDayTao.toFixed(4)} TAO`}
      </Field>
      <Field label="Immunity left">
        {standing.immunityBlocksLeft > 0 ? `${standing.immunityBlocksLeft} blocks` : 'none'}
      </Field>
      <Field label="Deregistration">
        <span className={`risk risk-${standing.deregistration}`}>{RISK_LABELS[standing.deregistration]}</span>
      </Field>
      <Field label="Source">
        {view.source === 'local' ? 'Local subnet' : 'Live chain'} · block {metagraph.block}
        {view.live ? '' : ' (stopped)'}
      </Field>
    </dl>
  );
}
