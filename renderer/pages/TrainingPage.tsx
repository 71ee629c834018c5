import type { ReactElement } from 'react';
import { ComingSoon } from '../components/ComingSoon.js';

export function TrainingPage(): ReactElement {
  return (
    <ComingSoon
      title="Training"
      subtitle="Runs on the training GPU over SSH."
      plans={[
        'Trainer hosts with host-key checks and a one-click connection test.',
        'Terminals to the training box, and runs that survive the console closing.',
        'Live loss, accuracy and MCC curves; compare runs; nightly schedule.',
      ]}
    />
  );
}
