import { useEffect, useState } from 'react';
import type { ModelRegistryView } from '../../shared/domain/model-registry.js';
import { useClient } from '../client-context.js';

/** The registry as the back end streams it: the list now, then again on every change. */
export function useModelRegistry(): ModelRegistryView | null {
  const client = useClient();
  const [view, setView] = useState<ModelRegistryView | null>(null);
  useEffect(() => client.subscribe('models.registry', {}, (events) => setView(events.at(-1) ?? null)), [client]);
  return view;
}
