import type { ReactElement } from 'react';
import { PageHeader } from '../components/Card.js';
import { TerminalPanel } from '../terminal/TerminalPanel.js';
import { TrainingRuns } from '../training/TrainingRuns.js';

/** Training on the GPU box over SSH: the runs and their curves, and terminals to the box. */
export function TrainingPage(): ReactElement {
  return (
    <div className="training-page">
      <PageHeader title="Training" subtitle="Runs on the training GPU over SSH: push, train, watch, pull." />
      <TrainingRuns />
      <TerminalPanel />
    </div>
  );
}
