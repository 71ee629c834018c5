import type { ReactElement } from 'react';
import { ComingSoon } from '../components/ComingSoon.js';

export function ChallengesPage(): ReactElement {
  return (
    <ComingSoon
      title="Challenges"
      subtitle="Every validator request the axon answers."
      plans={[
        'A live feed of challenges: validator, image, our prediction, latency and status code.',
        'Rolling accuracy, MCC and the reward formula the validators apply, per validator.',
        'One click to send an uncertain image to the hard cases.',
      ]}
    />
  );
}
