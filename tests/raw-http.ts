import { connect } from 'node:net';

/** What came back on a raw socket: the status line's code (0 when the server only hung up). */
export interface RawReply {
  status: number;
  text: string;
}

/**
 * Sends `head` as it is over TCP and reads until the server hangs up (the requests below ask it
 * to). fetch and http.request normalise or refuse request-targets such as `//` or `http://[`: an
 * attacker's socket does not.
 */
export function sendRaw(port: number, head: string): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }));
    socket.write(head);
  });
}

/** A GET for `target` with no token, as a browser's `<img src>` on another site sends it. */
export function plainRequest(target: string): string {
  return `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;
}

/** The same target as a WebSocket upgrade. */
export function upgradeRequest(target: string): string {
  return [
    `GET ${target} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    '',
    '',
  ].join('\r\n');
}
