import { request as httpRequest } from 'node:http';

/** A POST whose headers go out at once and whose body waits: a slow client, or one about to leave. */
export interface HeldRequest {
  /** The status the server answered with; 0 when it hung up without one. */
  readonly status: Promise<number>;
  /**
   * Resolves once the headers and the first bytes are handed to the kernel: a server reads them
   * before it can see the connection close, so a request left after this has reached the server.
   */
  readonly sent: Promise<void>;
  /** Sends the rest of the body. */
  finish(): void;
  /** Closes the connection, as a client that went away. */
  leave(): void;
}

/** Opens its own connection and sends the headers and the first `sentBytes` of `body` (ASCII). */
export function holdRequest(
  url: string,
  headers: Record<string, string>,
  body: string,
  sentBytes = 16,
  path?: string,
): HeldRequest {
  const client = httpRequest(url, {
    method: 'POST',
    headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    agent: false,
    ...(path === undefined ? {} : { path }),
  });
  const status = new Promise<number>((resolve) => {
    client.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    client.on('error', () => resolve(0));
    client.on('close', () => resolve(0));
  });
  client.flushHeaders();
  const sent = new Promise<void>((resolve) => client.write(body.slice(0, sentBytes), () => resolve()));
  return {
    status,
    sent,
    finish: () => {
      if (!client.destroyed) client.end(body.slice(sentBytes));
    },
    leave: () => {
      client.destroy();
    },
  };
}
