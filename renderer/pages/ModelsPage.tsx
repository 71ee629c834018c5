import type { ReactElement } from 'react';
import { ComingSoon } from '../components/ComingSoon.js';

export function ModelsPage(): ReactElement {
  return (
    <ComingSoon
      title="Models"
      subtitle="Every model the miner has served or could serve."
      plans={[
        'The registry: metrics, data hash, parent model, and days left of full reward.',
        'Judge a candidate against the live model, deploy with no dropped request, roll back in one click.',
        'Publish to Hugging Face and register with the NATIX server.',
      ]}
    />
  );
}
