/**
 * The miner's axon: an HTTP server that real Python validators (SDK v10 dendrites) talk to
 * unchanged. Per request: route (404), headers (400), blacklist (403), nonce (401), priority
 * (503, 408), body and its hash (400, 413), then the forward and the signature check side by side
 * (401). Unlike the Python axon, a signature is always required.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log/log-service.js';
import { NonceGuard } from './nonce-guard.js';
import { GateRefusal, PriorityGate } from './priority-gate.js';
import { verifyHotkeySignature } from './signature.js';
import {
  bodyHash,
  parseDendriteHeaders,
  parseSynapseJson,
  signedMessage,
  stringifySynapseJson,
  WireError,
  type DendriteHeaders,
} from './wire.js';

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
  /** Every answered request, for the challenge log. */
  onRecord?(record: AxonRecord): void;
}

export interface Axon {
  readonly port: number;
  close(): Promise<void>;
}

/** A 224×224 JPEG in base64 is ~20 kB; generous room for larger images, none for abuse. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
const MAX_HEADER_BYTES = 16 * 1024;
/** Time kept back from the dendrite's timeout for the answer's trip home. */
const RESPONSE_MARGIN_MS = 300;

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startAxon(options: AxonOptions): Promise<Axon> {
  const nonces = new NonceGuard();
  const gate = new PriorityGate(options.concurrency ?? 32, options.queueLimit ?? 64);
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  const server: Server = createServer(
    { maxHeaderSize: MAX_HEADER_BYTES, requestTimeout: 60_000 },
    (request, response) => {
      void handle(request, response);
    },
  );

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    let headers: DendriteHeaders | null = null;
    let standing: CallerStanding | null = null;
    let synapse: Record<string, unknown> | null = null;
    let release: (() => void) | null = null;
    const details: Record<string, unknown> = {};
    const finish = (status: number, message: string, body: Record<string, unknown> | null): void => {
      const latencyMs = performance.now() - started;
      send(response, status, message, latencyMs, body);
      options.onRecord?.({
        time: new Date().toISOString(),
        hotkey: headers?.dendrite.hotkey ?? '',
        uid: standing?.uid ?? null,
        status,
        message,
        latencyMs,
        synapse,
        response: body,
        details,
      });
    };
    try {
      const route = new URL(request.url ?? '/', 'http://axon').pathname.split('/')[1] ?? '';
      if (route !== options.handler.name) throw new Refusal(404, `no synapse named "${route}" is served here`);
      if (request.method !== 'POST') throw new Refusal(405, 'synapses are POSTed');
      headers = parseDendriteHeaders(request.headers);
      standing = blacklist(headers.dendrite.hotkey, options.policy);
      const signed = signedRequest(headers, options.hotkey, nonces);
      const deadline = Date.now() + headers.timeoutS * 1000 - RESPONSE_MARGIN_MS;
      release = await gate.acquire(standing.stake, deadline - Date.now());
      const text = await readBody(request, maxBody);
      synapse = parseSynapseJson(text);
      const expected = bodyHash(options.handler.requiredHashFieldStrings(synapse));
      if (headers.computedBodyHash !== expected) throw new Refusal(400, 'the body does not match computed_body_hash');
      // The forward starts before the signature is checked, so the worker decodes while this
      // thread verifies (each ~1–2 ms). Only a caller that passed the blacklist gets this far, and
      // a forged request costs one inference, no more than its verification; it is still refused.
      const answer = options.handler.forward(synapse, {
        caller: { hotkey: headers.dendrite.hotkey, standing },
        deadline,
        annotate: (more) => Object.assign(details, more),
      });
      answer.catch(() => undefined);
      signed.verify();
      const fields = await answer;
      const processTime = (performance.now() - started) / 1000;
      const axon = {
        ...asObject(synapse.axon),
        status_code: 200,
        status_message: 'Success',
        process_time: processTime,
      };
      finish(200, 'Success', { ...synapse, ...fields, axon });
    } catch (error) {
      const status =
        error instanceof Refusal || error instanceof WireError || error instanceof GateRefusal ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
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
 * Checks what is cheap at once (a signature present, the nonce fresh) and returns the expensive
 * part, the sr25519 verification, to run later. The nonce is taken only once the signature holds,
 * in the same synchronous step as its second check, so two copies of one request cannot both pass.
 */
function signedRequest(headers: DendriteHeaders, ownHotkey: string, nonces: NonceGuard): { verify(): void } {
  const { dendrite } = headers;
  if (!dendrite.signature) throw new Refusal(401, 'the request is not signed');
  if (dendrite.nonce < 0n || !dendrite.uuid) throw new Refusal(401, 'the request carries no nonce or uuid');
  const key = `${dendrite.hotkey}:${dendrite.uuid}`;
  const checkNonce = (): void => {
    const verdict = nonces.check(key, dendrite.nonce, headers.timeoutS);
    if (!verdict.ok) throw new Refusal(401, verdict.reason);
  };
  checkNonce();
  return {
    verify() {
      const message = signedMessage({
        nonce: dendrite.nonce,
        dendriteHotkey: dendrite.hotkey,
        axonHotkey: ownHotkey,
        uuid: dendrite.uuid,
        bodyHash: headers.computedBodyHash ?? '',
      });
      if (!verifyHotkeySignature(message, dendrite.signature, dendrite.hotkey))
        throw new Refusal(401, 'the signature does not verify');
      checkNonce();
      nonces.accept(key, dendrite.nonce);
    },
  };
}

function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(new Refusal(413, `the body is larger than ${limit} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Refusal(413, `the body is larger than ${limit} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
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
): void {
  if (response.headersSent) return;
  const oneLine = message.replace(/[\r\n]+/g, ' ');
  const payload = body ? stringifySynapseJson(body) : JSON.stringify({ message: oneLine });
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    bt_header_axon_status_code: String(status),
    bt_header_axon_status_message: oneLine.replace(/[^\x20-\x7e]/g, '?'),
    bt_header_axon_process_time: (latencyMs / 1000).toFixed(6),
  });
  response.end(payload);
}
