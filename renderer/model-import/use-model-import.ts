import { useEffect, useState } from 'react';
import type { ModelImport } from '../../shared/domain/model-import.js';
import { useClient } from '../client-context.js';

/** The latest import as the back end streams it (null: none this session). */
export function useModelImport(): ModelImport | null {
  const client = useClient();
  const [current, setCurrent] = useState<ModelImport | null>(null);
  useEffect(
    () => client.subscribe('models.importProgress', {}, (events) => setCurrent(events.at(-1) ?? null)),
    [client],
  );
  return current;
}
