/**
 * Can the axon be reached where validators are told to find it? A TCP connect to the public
 * ip:port (the one in Settings, else the one the chain advertises). From the rig itself this
 * proves the port is open and something answers there; a router without hairpin NAT can make a
 * reachable axon look unreachable from inside, which the message says.
 */
import { connect } from 'node:net';
import type { Condition } from './alert-store.js';

export type AxonTarget = { ip: string; port: number; from: 'settings' | 'chain' };

export type AxonCheck =
  | { state: 'reachable'; target: AxonTarget }
  | { state: 'unreachable'; target: AxonTarget; reason: string }
  | { state: 'unchecked'; reason: string };

/** Where to check: the public IP in Settings with the axon's port, else the chain's advert. */
export function axonTarget(
  externalIp: string | null,
  axonPort: number,
  advertised: { ip: string; port: number } | null,
): AxonTarget | null {
  if (externalIp) return { ip: externalIp, port: axonPort, from: 'settings' };
  if (advertised && advertised.ip !== '0.0.0.0' && advertised.port > 0) return { ...advertised, from: 'chain' };
  return null;
}

export function checkAxon(target: AxonTarget | null, timeoutMs = 5000): Promise<AxonCheck> {
  if (!target)
    return Promise.resolve({
      state: 'unchecked',
      reason:
        'No public IP is known (none in Settings → Axon, none advertised on chain), so the axon cannot be checked from outside.',
    });
  return new Promise((resolve) => {
    const socket = connect({ host: target.ip, port: target.port });
    const done = (check: AxonCheck): void => {
      socket.destroy();
      resolve(check);
    };
    socket.setTimeout(timeoutMs, () =>
      done({ state: 'unreachable', target, reason: `no answer within ${Math.round(timeoutMs / 1000)} s` }),
    );
    socket.once('connect', () => done({ state: 'reachable', target }));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done({ state: 'unreachable', target, reason: error.code ?? error.message }),
    );
  });
}

/** The alert a check raises: unreachable is critical; not being able to check is worth knowing. */
export function axonConditions(check: AxonCheck): Condition[] {
  if (check.state === 'reachable') return [];
  if (check.state === 'unchecked')
    return [{ key: 'axon-unchecked', kind: 'axon-unchecked', severity: 'info', message: check.reason }];
  const { ip, port, from } = check.target;
  return [
    {
      key: `axon-unreachable:${ip}:${port}`,
      kind: 'axon-unreachable',
      severity: 'critical',
      message: `The axon cannot be reached at ${ip}:${port} (${from === 'settings' ? 'the public IP in Settings' : 'as the chain advertises it'}): ${check.reason}. Validators cannot reach it either: check the port forwarding and the firewall (a router without hairpin NAT can fail this check from inside).`,
    },
  ];
}
