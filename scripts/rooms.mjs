/**
 * The rooms of main/ and the rooms each may import: the back end's dependency graph, one place.
 * eslint.config.js turns it into an import rule per room and tests/layering.test.ts checks the
 * code against it (every folder is a room, no import outside the list, no cycle). Every room may
 * import shared/ (the contract) and packages; tests may import anything. The files at the top of
 * main/ (host.ts, serve.ts, mine.ts) are the composition roots and may import every room.
 *
 * @type {Readonly<Record<string, readonly string[]>>}
 */
export const ROOMS = {
  base: [],
  log: ['base'],
  store: ['base', 'log'],
  app: ['base', 'log'],
  settings: ['base', 'log'],
  api: ['base', 'log'],
  server: ['api', 'base', 'log'],
  scoring: ['base'],
  scenes: ['base'],
  bittensor: ['base', 'log'],
  remote: ['base', 'log'],
  wallet: ['bittensor', 'base', 'log'],
  chain: ['bittensor', 'store', 'base', 'log'],
  inference: ['scoring', 'base', 'log'],
  hardcases: ['scenes', 'scoring', 'store', 'base', 'log'],
  earnings: ['chain', 'settings', 'store', 'base', 'log'],
  alerts: ['chain', 'settings', 'store', 'base', 'log'],
  miner: ['bittensor', 'chain', 'hardcases', 'inference', 'scoring', 'settings', 'store', 'wallet', 'base', 'log'],
  subnet: ['miner', 'bittensor', 'chain', 'inference', 'scoring', 'scenes', 'app', 'settings', 'base', 'log'],
  models: [
    'subnet',
    'inference',
    'hardcases',
    'remote',
    'scoring',
    'scenes',
    'settings',
    'store',
    'wallet',
    'base',
    'log',
  ],
  trainer: ['remote', 'hardcases', 'scoring', 'settings', 'store', 'base', 'log'],
  terminal: ['remote', 'base', 'log'],
  publish: ['models', 'chain', 'wallet', 'settings', 'base', 'log'],
};

/** The rooms `room` may not import: every other room not in its list. */
export function forbiddenRooms(room) {
  const allowed = new Set([room, ...(ROOMS[room] ?? [])]);
  return Object.keys(ROOMS).filter((other) => !allowed.has(other));
}
