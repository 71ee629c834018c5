import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Cookies are shared by every port of a host, so the name carries the port. */
export function cookieName(port: number): string {
  return `sv_token_${port}`;
}

export type TokenSource = 'query' | 'header' | 'cookie';

/**
 * Finds a token the request presents: `?token=` (the printed URL), `Authorization: Bearer`
 * (scripts and remote consoles) or the cookie set after the first visit. Compared in constant time.
 * `url` is the request's target, already parsed (request-target.ts).
 */
export function presentedToken(
  request: IncomingMessage,
  url: URL,
  port: number,
): { token: string; source: TokenSource } | null {
  const query = url.searchParams.get('token');
  if (query) return { token: query, source: 'query' };
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return { token: authorization.slice(7).trim(), source: 'header' };
  const cookie = parseCookies(request.headers.cookie ?? '')[cookieName(port)];
  if (cookie) return { token: cookie, source: 'cookie' };
  return null;
}

export function tokenMatches(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function parseCookies(header: string): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    cookies[part.slice(0, index).trim()] = part.slice(index + 1).trim();
  }
  return cookies;
}
