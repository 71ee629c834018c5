import { createContext, useContext } from 'react';
import type { OperatorClient } from '../shared/client.js';

export const ClientContext = createContext<OperatorClient | null>(null);

/** Commands from components go through this; streams come from the stores or useStream (api/use-stream.ts). */
export function useClient(): OperatorClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside ClientContext');
  return client;
}
