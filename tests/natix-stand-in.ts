/**
 * The NATIX application server on loopback for the tests: `POST /participants/register` keeps
 * the body as sent, and `GET /participants/registration-status/<uid>` answers `pending` for the
 * first `pendingPolls` polls, then `succeeded` (or the final status the test chose).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface NatixStandIn {
  url: string;
  /** Every registration body as received, parsed from JSON. */
  registrations: Record<string, unknown>[];
  /** Status polls seen, by uid. */
  polls: Map<string, number>;
  close(): Promise<void>;
}

export interface NatixStandInOptions {
  pendingPolls?: number;
  finalStatus?: { status: string; error_message?: string };
}

export async function startNatixStandIn(options: NatixStandInOptions = {}): Promise<NatixStandIn> {
  const pendingPolls = options.pendingPolls ?? 1;
  const finalStatus = options.finalStatus ?? { status: 'succeeded' };
  const registrations: Record<string, unknown>[] = [];
  const polls = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method === 'POST' && path === '/participants/register') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        try {
          registrations.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
          reply(200, { status: 'pending', message: 'Registration received' });
        } catch {
          reply(400, { detail: 'body is not JSON' });
        }
      });
      return;
    }
    const status = /^\/participants\/registration-status\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && status) {
      const uid = decodeURIComponent(status[1]!);
      if (!registrations.some((body) => body.uid === uid)) return reply(404, { detail: 'Participant not found' });
      const seen = (polls.get(uid) ?? 0) + 1;
      polls.set(uid, seen);
      return reply(200, seen <= pendingPolls ? { status: 'pending' } : finalStatus);
    }
    reply(404, { detail: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    registrations,
    polls,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
