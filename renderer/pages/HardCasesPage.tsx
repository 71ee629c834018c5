import type { ReactElement } from 'react';
import { ComingSoon } from '../components/ComingSoon.js';

export function HardCasesPage(): ReactElement {
  return (
    <ComingSoon
      title="Hard cases"
      subtitle="The images the miner was unsure of, to label and train on."
      plans={[
        'A gallery of tens of thousands of cases, sorted by uncertainty or uniqueness.',
        'Labelling by drag and drop onto Roadwork, No roadwork or Skip, and by keyboard (1, 2, 0).',
        'Import from the desktop; export a dataset with a fixed held-out split.',
      ]}
    />
  );
}
