import { useEffect, useState } from 'react';
import type { PublishProgress, RegistrationStatus } from '../../shared/domain/publish.js';
import { useClient } from '../client-context.js';

/** The upload's progress and the NATIX registration's status, as the back end streams them. */
export function usePublishStreams(): { progress: PublishProgress | null; registration: RegistrationStatus | null } {
  const client = useClient();
  const [progress, setProgress] = useState<PublishProgress | null>(null);
  const [registration, setRegistration] = useState<RegistrationStatus | null>(null);
  useEffect(() => client.subscribe('publish.progress', {}, (events) => setProgress(events.at(-1) ?? null)), [client]);
  useEffect(
    () => client.subscribe('publish.registration', {}, (events) => setRegistration(events.at(-1) ?? null)),
    [client],
  );
  return { progress, registration };
}
