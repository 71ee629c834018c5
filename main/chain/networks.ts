import type { Settings } from '../../shared/domain/settings.js';

/** The public entry points the Bittensor SDK uses for each named network. */
export const NETWORK_ENDPOINTS = {
  finney: 'wss://entrypoint-finney.opentensor.ai:443',
  test: 'wss://test.finney.opentensor.ai:443',
} as const;

/** Where to reach the chain: the endpoint in Settings wins; the local network has none. */
export function chainEndpoint(chain: Settings['chain']): string | null {
  if (chain.network === 'local') return null;
  if (chain.endpoint) return chain.endpoint;
  return chain.network === 'custom' ? null : NETWORK_ENDPOINTS[chain.network];
}
