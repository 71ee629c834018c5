/**
 * The miner's axon: an HTTP server that real Python validators (SDK v10 dendrites) talk to
 * unchanged. Unlike the Python axon, a signature is always required, and it is checked before the
 * request costs anything: the signature covers header values only (nonce, hotkeys, uuid, the
 * body hash as the header states it), so it is verified before a slot is taken, before the body is
 * read, before any work starts. Per request, in order:
 *   1. route (404; 400 for a target that is not a path) and method (405);
 *   2. headers (400);
 *   3. blacklist: registered, validator permit, minimum stake (403);
 *   4. signature and nonce (401);
 *   5. a slot, by stake, at most PER_HOTKEY_SLOTS per validator (503 queue full, 408 no turn in time);
 *   6. the body, within its own short deadline (408) and size (413), and its hash (400);
 *   7. the forward (200).
 * A request refused before step 5 leaves nothing but a count (`onOutcome`); only a verified
 * request is recorded (`onRecord`). A client that goes away at any stage gives its place back.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RefusalReason } from '../../shared/domain/miner.js';
import type { Logger } from '../log/log-service.js';
import { NonceGuard } from '../bittensor/nonce-guard.js';
import { GateRefusal, PriorityGate } from './priority-gate.js';
import { verifyHotkeySignature } from '../bittensor/signature.js';
import {
  bodyHash,
  parseDendriteHeaders,
  parseSynapseJson,
  signedMessage,
  stringifySynapseJson,
  synapseRoute,
  WireError,
  type DendriteHeaders,
} from '../bittensor/wire.js';
import { errorMessage } from '../../shared/errors.js';

export interface CallerStanding {
  uid: number;
  validatorPermit: boolean;
  /** Total stake, in TAO: the request's priority. */
  stake: number;
}

export interface AxonPolicy {
  /** The caller's standing in the metagraph, or null when the hotkey is not registered. */
  standing(hotkey: string): CallerStanding | null;
  requireValidatorPermit: boolean;
  minStake: number;
}

export interface ForwardContext {
  caller: { hotkey: string; standing: CallerStanding };
  /** Milliseconds since the epoch by which the answer must be on its way. */
  deadline: number;
  /** Adds details to this request's record (each stage's output, say). */
  annotate(details: Record<string, unknown>): void;
}

export interface SynapseHandler {
  readonly name: string;
  /** `str()` of each required hash field, in order (ImageSynapse: none). */
  requiredHashFieldStrings(synapse: Record<string, unknown>): string[];
  /** Returns the fields to fill in (ImageSynapse: `prediction`). Must not throw for bad input. */
  forward(synapse: Record<string, unknown>, context: ForwardContext): Promise<Record<string, unknown>>;
}

export interface AxonRecord {
  time: string;
  hotkey: string;
  uid: number | null;
  status: number;
  message: string;
  latencyMs: number;
  synapse: Record<string, unknown> | null;
  response: Record<string, unknown> | null;
  details: Record<string, unknown>;
}

export interface AxonOptions {
  /** Our own hotkey (ss58): the message a dendrite signs names it. */
  hotkey: string;
  host: string;
  port: number;
  policy: AxonPolicy;
  handler: SynapseHandler;
  log: Logger;
  maxBodyBytes?: number;
  concurrency?: number;
  queueLimit?: number;
  /** Slots one validator hotkey may hold at once (PER_HOTKEY_SLOTS). */
  perHotkeyLimit?: number;
  /** Every request's outcome, refused ones included: for counters, which name nobody. */
  onOutcome?(outcome: AxonOutcome): void;
  /** Every answered request whose signature verified, for the challenge log. */
  onRecord?(record: AxonRecord): void;
}

export interface AxonOutcome {
  /** The status answered; null when the client went away before its answer. */
  status: number | null;
  latencyMs: number;
  /** Why it got no prediction; null for an answer (200) or a failure of ours (5xx). */
  refusal: RefusalReason | null;
}

export interface Axon {
  readonly port: number;
  /** Requests holding a slot and waiting for one, now: what a held or queued request shows as. */
  load(): { running: number; waiting: number };
  close(): Promise<void>;
}

/** A 224×224 JPEG in base64 is ~20 kB; generous room for larger images, none for abuse. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
const MAX_HEADER_BYTES = 16 * 1024;
/** Time kept back from the dendrite's timeout for the answer's trip home. */
const RESPONSE_MARGIN_MS = 300;
export const DEFAULT_CONCURRENCY = 32;
export const DEFAULT_QUEUE_LIMIT = 64;
/**
 * A validator queries a miner about once per forward step, so it has one or two requests in
 * flight; 8 leaves room for its bursts and retries while no one hotkey (verified, with a permit)
 * takes more than a quarter of the slots: it takes four to fill them.
 */
export const PER_HOTKEY_SLOTS = 8;
/**
 * How long a body may take once its slot is given, at most half the dendrite's timeout: a
 * validator's ~30 kB body arrives in milliseconds, and the largest accepted (4 MB) in 2 s at
 * 16 Mbit/s. A body slower than that holds a slot for nothing.
 */
export const BODY_READ_MS = 2000;

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The client closed its connection: there is no one left to answer. */
class ClientGone extends Error {
  constructor() {
    super('the client went away before its answer');
  }
}

/** A refusal's reason, from its status; null for an answer or a failure of ours. */
function refusalOf(status: number): RefusalReason | null {
  switch (status) {
    case 400:
    case 404:
    case 405:
    case 413:
      return 'malformed';
    case 401:
      return 'signature';
    case 403:
      return 'blacklist';
    case 408:
      return 'timeout';
    case 503:
      return 'busy';
    default:
      return null;
  }
}

export async function startAxon(options: AxonOptions): Promise<Axon> {
  const nonces = new NonceGuard();
  const gate = new PriorityGate(
    options.concurrency ?? DEFAULT_CONCURRENCY,
    options.queueLimit ?? DEFAULT_QUEUE_LIMIT,
    options.perHotkeyLimit ?? PER_HOTKEY_SLOTS,
  );
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  const server: Server = createServer(
    { maxHeaderSize: MAX_HEADER_BYTES, requestTimeout: 60_000 },
    (request, response) => {
      void handle(request, response);
    },
  );

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    // Aborted when the connection closes before the answer went out, whatever stage the request is at.
    const client = new AbortController();
    response.once('close', () => {
      if (!response.writableFinished) client.abort(new ClientGone());
    });
    /** Set once the signature verified: from then on the request is a validator's, and recorded. */
    let caller: { headers: DendriteHeaders; standing: CallerStanding } | null = null;
    let synapse: Record<string, unknown> | null = null;
    let release: (() => void) | null = null;
    const details: Record<string, unknown> = {};
    const finish = (status: number, message: string, body: Record<string, unknown> | null): void => {
      const latencyMs = performance.now() - started;
      // A body still on its way is not waited for: the connection closes after the answer.
      send(response, status, message, latencyMs, body, !request.complete);
      options.onOutcome?.({ status, latencyMs, refusal: refusalOf(status) });
      if (!caller) return;
      options.onRecord?.({
        time: new Date().toISOString(),
        hotkey: caller.headers.dendrite.hotkey,
        uid: caller.standing.uid,
        status,
        message,
        latencyMs,
        synapse,
        response: body,
        details,
      });
    };
    try {
      // Headers only, up to the signature: a request refused here has cost a lookup and one verification.
      const route = synapseRoute(request.url);
      if (route === null) throw new Refusal(400, 'the request target is not a path');
      if (route !== options.handler.name) throw new Refusal(404, `no synapse named "${route}" is served here`);
      if (request.method !== 'POST') throw new Refusal(405, 'synapses are POSTed');
      const headers = parseDendriteHeaders(request.headers);
      const standing = blacklist(headers.dendrite.hotkey, options.policy);
      verifySigned(headers, options.hotkey, nonces);
      caller = { headers, standing };

      const deadline = Date.now() + headers.timeoutS * 1000 - RESPONSE_MARGIN_MS;
      release = await gate.acquire({
        priority: standing.stake,
        key: headers.dendrite.hotkey,
        maxWaitMs: deadline - Date.now(),
        signal: client.signal,
      });
      const readWithin = Math.min(BODY_READ_MS, headers.timeoutS * 500);
      const text = await readBody(request, maxBody, readWithin, client.signal);
      synapse = parseSynapseJson(text);
      const expected = bodyHash(options.handler.requiredHashFieldStrings(synapse));
      if (headers.computedBodyHash !== expected) throw new Refusal(400, 'the body does not match computed_body_hash');
      const fields = await options.handler.forward(synapse, {
        caller: { hotkey: headers.dendrite.hotkey, standing },
        deadline,
        annotate: (more) => Object.assign(details, more),
      });
      // Work sent to the worker cannot be called back; its answer has no one to go to.
      if (client.signal.aborted) throw new ClientGone();
      const processTime = (performance.now() - started) / 1000;
      const axon = {
        ...asObject(synapse.axon),
        status_code: 200,
        status_message: 'Success',
        process_time: processTime,
      };
      finish(200, 'Success', { ...synapse, ...fields, axon });
    } catch (error) {
      if (error instanceof ClientGone || client.signal.aborted) {
        // Nothing to answer and nothing to record: a count, as any refusal.
        options.onOutcome?.({ status: null, latencyMs: performance.now() - started, refusal: 'aborted' });
        return;
      }
      const status =
        error instanceof Refusal || error instanceof WireError || error instanceof GateRefusal ? error.status : 500;
      const message = errorMessage(error);
      if (status === 500) options.log.error(`axon: ${message}`);
      finish(status, message, null);
    } finally {
      release?.();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    load: () => gate.load,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

function blacklist(hotkey: string, policy: AxonPolicy): CallerStanding {
  if (!hotkey) throw new Refusal(403, 'the request names no dendrite hotkey');
  // Membership first: an unregistered caller is refused, never looked up by uid.
  const standing = policy.standing(hotkey);
  if (!standing) throw new Refusal(403, `hotkey ${hotkey} is not registered on this subnet`);
  if (policy.requireValidatorPermit && !standing.validatorPermit)
    throw new Refusal(403, `hotkey ${hotkey} has no validator permit`);
  if (standing.stake < policy.minStake) throw new Refusal(403, `hotkey ${hotkey} has less than the minimum stake`);
  return standing;
}

/**
 * Verifies the signature over the header values, then takes the nonce, in one synchronous step:
 * two copies of one request cannot both pass, and a nonce is remembered only once a request verified.
 */
function verifySigned(headers: DendriteHeaders, ownHotkey: string, nonces: NonceGuard): void {
  const { dendrite } = headers;
  if (!dendrite.signature) throw new Refusal(401, 'the request is not signed');
  if (dendrite.nonce < 0n || !dendrite.uuid) throw new Refusal(401, 'the request carries no nonce or uuid');
  const key = `${dendrite.hotkey}:${dendrite.uuid}`;
  const verdict = nonces.check(key, dendrite.nonce, headers.timeoutS);
  if (!verdict.ok) throw new Refusal(401, verdict.reason);
  const message = signedMessage({
    nonce: dendrite.nonce,
    dendriteHotkey: dendrite.hotkey,
    axonHotkey: ownHotkey,
    uuid: dendrite.uuid,
    bodyHash: headers.computedBodyHash ?? '',
  });
  if (!verifyHotkeySignature(message, dendrite.signature, dendrite.hotkey))
    throw new Refusal(401, 'the signature does not verify');
  nonces.accept(key, dendrite.nonce);
}

/**
 * The body as text, or a refusal: 413 past `limit` bytes, 408 when it has not all come within
 * `withinMs`, ClientGone when the connection closes first. Always settles, and leaves no listener.
 */
function readBody(request: IncomingMessage, limit: number, withinMs: number, signal: AbortSignal): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(new Refusal(413, `the body is larger than ${limit} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (error: Error | null, text = ''): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      request.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onClose);
      if (error === null) {
        resolve(text);
      } else {
        request.pause();
        reject(error);
      }
    };
    const onAbort = (): void => settle(new ClientGone());
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) settle(new Refusal(413, `the body is larger than ${limit} bytes`));
      else chunks.push(chunk);
    };
    const onEnd = (): void => settle(null, Buffer.concat(chunks).toString('utf8'));
    const onGone = (): void => settle(new ClientGone());
    const onClose = (): void => {
      if (!request.complete) settle(new ClientGone());
    };
    const timer = setTimeout(
      () => settle(new Refusal(408, `the body did not arrive within ${withinMs} ms`)),
      Math.max(0, withinMs),
    );
    if (signal.aborted || request.destroyed) {
      settle(new ClientGone());
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    request.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onClose);
  });
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Header values must parse with Python's int() and float(); names stay lowercase. */
function send(
  response: ServerResponse,
  status: number,
  message: string,
  latencyMs: number,
  body: Record<string, unknown> | null,
  close: boolean,
): void {
  if (response.headersSent || response.destroyed) return;
  const oneLine = message.replace(/[\r\n]+/g, ' ');
  const payload = body ? stringifySynapseJson(body) : JSON.stringify({ message: oneLine });
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    bt_header_axon_status_code: String(status),
    bt_header_axon_status_message: oneLine.replace(/[^\x20-\x7e]/g, '?'),
    bt_header_axon_process_time: (latencyMs / 1000).toFixed(6),
    ...(close ? { connection: 'close' } : {}),
  });
  response.end(payload);
}
