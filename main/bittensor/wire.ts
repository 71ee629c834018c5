/**
 * The Bittensor dendrite ↔ axon wire format (SDK v10, unchanged since v7.2), as far as an axon
 * serving one synapse needs it: request headers, the body hash, the message the dendrite signs,
 * and JSON that keeps nonces (nanoseconds, above 2^53) exact.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export class WireError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface DendriteHeaders {
  /** The route's synapse name, from the `name` header (the path is the authority). */
  name: string | null;
  /** Seconds the dendrite will wait. */
  timeoutS: number;
  dendrite: {
    hotkey: string;
    nonce: bigint;
    uuid: string;
    signature: string;
    ip: string | null;
    version: string | null;
  };
  axon: { hotkey: string | null; ip: string | null; port: string | null };
  computedBodyHash: string | null;
}

const DEFAULT_TIMEOUT_S = 12;

function header(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

/** Reads the `bt_header_*` headers; anything malformed is a 400, a missing hotkey is left to the blacklist. */
export function parseDendriteHeaders(headers: IncomingHttpHeaders): DendriteHeaders {
  const timeoutText = header(headers, 'timeout');
  const timeoutS = timeoutText === null ? DEFAULT_TIMEOUT_S : Number(timeoutText);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > 3600)
    throw new WireError(400, `timeout header "${timeoutText}" is not a number of seconds`);
  const nonceText = header(headers, 'bt_header_dendrite_nonce') ?? '';
  if (nonceText !== '' && !/^\d{1,30}$/.test(nonceText))
    throw new WireError(400, 'bt_header_dendrite_nonce is not a whole number');
  return {
    name: header(headers, 'name'),
    timeoutS,
    dendrite: {
      hotkey: header(headers, 'bt_header_dendrite_hotkey') ?? '',
      nonce: nonceText === '' ? -1n : BigInt(nonceText),
      uuid: header(headers, 'bt_header_dendrite_uuid') ?? '',
      signature: header(headers, 'bt_header_dendrite_signature') ?? '',
      ip: header(headers, 'bt_header_dendrite_ip'),
      version: header(headers, 'bt_header_dendrite_version'),
    },
    axon: {
      hotkey: header(headers, 'bt_header_axon_hotkey'),
      ip: header(headers, 'bt_header_axon_ip'),
      port: header(headers, 'bt_header_axon_port'),
    },
    computedBodyHash: header(headers, 'computed_body_hash'),
  };
}

/**
 * The synapse a request-target names: its path's first segment (`/ImageSynapse` → `ImageSynapse`),
 * without a query. Never throws: `//` names no synapse (''), and a target that is not a path at all
 * (an absolute URL that does not parse, `*`) is null. `new URL` is not used: it reads `//x` as a host.
 */
export function synapseRoute(target: string | undefined): string | null {
  let path = (target ?? '/').split(/[?#]/, 1)[0] ?? '';
  if (!path.startsWith('/')) {
    // The absolute form (`POST http://host/ImageSynapse`), which HTTP/1.1 servers must accept.
    if (!URL.canParse(path)) return null;
    path = new URL(path).pathname;
  }
  return path.split('/')[1] ?? '';
}

export function sha3Hex(text: string): string {
  return createHash('sha3-256').update(text, 'utf8').digest('hex');
}

/**
 * sha3-256 over the sha3-256 hex digests of `str(value)` of each required hash field, in order.
 * A synapse with none (ImageSynapse) hashes the empty string.
 */
export function bodyHash(requiredFieldStrings: readonly string[]): string {
  return sha3Hex(requiredFieldStrings.map(sha3Hex).join(''));
}

/** What the dendrite signs with its hotkey: raw UTF-8, sr25519, signing context `substrate`. */
export function signedMessage(parts: {
  nonce: bigint;
  dendriteHotkey: string;
  axonHotkey: string;
  uuid: string;
  bodyHash: string;
}): string {
  return `${parts.nonce}.${parts.dendriteHotkey}.${parts.axonHotkey}.${parts.uuid}.${parts.bodyHash}`;
}

const BIGINT_MARK = '\u0000bigint:';

/**
 * Parses a synapse body keeping every `nonce` exact: the dendrite sends nanoseconds since the
 * epoch, beyond what a JavaScript number holds. Throws a 400 `WireError` for anything not a JSON object.
 */
export function parseSynapseJson(text: string): Record<string, unknown> {
  // Base64 and the other fields cannot hold a quote, so this touches only real nonce fields.
  const guarded = text.replace(
    /("nonce"\s*:\s*)(-?\d+)/g,
    (_match, key: string, digits: string) => `${key}"\\u0000bigint:${digits}"`,
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(guarded, (_key, value: unknown) =>
      typeof value === 'string' && value.startsWith(BIGINT_MARK) ? BigInt(value.slice(BIGINT_MARK.length)) : value,
    );
  } catch {
    throw new WireError(400, 'the body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new WireError(400, 'the body is not a JSON object');
  return parsed as Record<string, unknown>;
}

/** Serialises a synapse, writing BigInts as bare integers as Python's JSON does. */
export function stringifySynapseJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'bigint' ? `${BIGINT_MARK}${item}` : item,
  ).replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}
