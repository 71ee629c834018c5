import type { ReactElement } from 'react';
import type { ModelEvaluation } from '../../shared/domain/model-registry.js';
import { differenceClass, signed } from './model-format.js';

interface Row {
  label: string;
  candidate: number | null;
  live: number | null;
  digits: number;
  higherIsBetter: boolean;
  unit?: string;
}

function rowsOf({ candidate, live }: ModelEvaluation): Row[] {
  return [
    {
      label: 'Accuracy',
      candidate: candidate.heldOut.accuracy,
      live: live.heldOut.accuracy,
      digits: 3,
      higherIsBetter: true,
    },
    { label: 'MCC', candidate: candidate.heldOut.mcc, live: live.heldOut.mcc, digits: 3, higherIsBetter: true },
    { label: 'AUC', candidate: candidate.heldOut.auc, live: live.heldOut.auc, digits: 3, higherIsBetter: true },
    {
      label: 'Expected reward',
      candidate: candidate.heldOut.expectedReward,
      live: live.heldOut.expectedReward,
      digits: 4,
      higherIsBetter: true,
    },
    {
      label: 'Latency p50',
      candidate: candidate.heldOut.latencyMs.p50,
      live: live.heldOut.latencyMs.p50,
      digits: 2,
      higherIsBetter: false,
      unit: ' ms',
    },
    {
      label: 'Rehearsal rank',
      candidate: candidate.rehearsal.rank,
      live: live.rehearsal.rank,
      digits: 0,
      higherIsBetter: false,
    },
    {
      label: 'Rehearsal incentive',
      candidate: candidate.rehearsal.incentive,
      live: live.rehearsal.incentive,
      digits: 4,
      higherIsBetter: true,
    },
    {
      label: 'Rehearsal reward',
      candidate: candidate.rehearsal.meanReward,
      live: live.rehearsal.meanReward,
      digits: 4,
      higherIsBetter: true,
    },
  ];
}

/** The candidate beside the live model, each difference coloured by whether it is better. */
export function EvaluationComparison({ evaluation }: { evaluation: ModelEvaluation }): ReactElement {
  const { heldOut, rehearsal } = evaluation;
  // Both models faced the same challenges: one note says what they were judged on.
  const imagesNote = evaluation.candidate.rehearsal.imagesNote ?? evaluation.live.rehearsal.imagesNote;
  return (
    <div>
      <table className="challenges comparison" aria-label="Candidate against live">
        <thead>
          <tr>
            <th>Measure</th>
            <th>{evaluation.candidateId}</th>
            <th>{evaluation.liveId} (live)</th>
            <th>Difference</th>
          </tr>
        </thead>
        <tbody>
          {rowsOf(evaluation).map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              <td className="mono">
                {row.candidate === null ? '—' : `${row.candidate.toFixed(row.digits)}${row.unit ?? ''}`}
              </td>
              <td className="mono">{row.live === null ? '—' : `${row.live.toFixed(row.digits)}${row.unit ?? ''}`}</td>
              <td
                className={`mono ${row.candidate === null || row.live === null ? '' : differenceClass(row.candidate, row.live, row.higherIsBetter)}`}
              >
                {row.candidate === null || row.live === null
                  ? '—'
                  : `${signed(row.candidate - row.live, row.digits)}${row.unit ?? ''}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Held out: {heldOut.images} {heldOut.source === 'hardcases' ? 'labelled hard cases' : 'generated scenes'}.
        Rehearsal: {rehearsal.validators} validators × {rehearsal.challenges} challenges against {rehearsal.peers} peers
        (seed {rehearsal.seed}). Evaluated {new Date(evaluation.at).toLocaleString()}.
      </p>
      {imagesNote && <p className="muted">Rehearsal {imagesNote}.</p>}
      {heldOut.note && <p className="banner banner-warn">{heldOut.note}</p>}
    </div>
  );
}
