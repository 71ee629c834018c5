import type { ReactElement } from 'react';
import { ComingSoon } from '../components/ComingSoon.js';

export function MetagraphPage(): ReactElement {
  return (
    <ComingSoon
      title="Metagraph"
      subtitle="Where we stand among the subnet's miners."
      plans={[
        'Every uid with stake, incentive, emission, validator permit and axon.',
        'Our rank among miners by incentive, immunity left and deregistration risk.',
        'History per tempo, from the live chain or the local rehearsal subnet.',
      ]}
    />
  );
}
