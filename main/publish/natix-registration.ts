/**
 * The registration the subnet's `register.sh` sends to the NATIX application server: the decimal
 * unix-seconds timestamp signed with the hotkey (sr25519, hex without 0x, as `btcli w sign
 * --use-hotkey` prints it), posted with the uid, the hotkey, "miner" and the model's Hub path (all
 * strings) to /participants/register; then /participants/registration-status/<uid> is polled.
 */
import { z } from 'zod';
import type { RegistrationState } from '../../shared/domain/publish.js';
import type { Hotkey } from '../wallet/hotkey-file.js';
import { errorMessage } from '../../shared/errors.js';

export interface RegistrationRequest {
  uid: string;
  message: string;
  natix_public_key: string;
  natix_signature: string;
  type: 'miner';
  model_repo: string;
}

export function buildRegistration(hotkey: Hotkey, uid: number, modelRepo: string, now: Date): RegistrationRequest {
  const message = String(Math.floor(now.getTime() / 1000));
  return {
    uid: String(uid),
    message,
    natix_public_key: hotkey.ss58Address,
    natix_signature: hotkey.sign(message).replace(/^0x/, ''),
    type: 'miner',
    model_repo: modelRepo,
  };
}

const AnswerSchema = z
  .object({
    status: z.string().optional(),
    message: z.string().optional(),
    error_message: z.string().nullable().optional(),
    detail: z.unknown().optional(),
  })
  .passthrough();

export interface ServerAnswer {
  state: RegistrationState;
  /** The server's own words (its message or error_message), if any. */
  said: string | null;
}

const TIMEOUT_MS = 30_000;

/** The server's status word in our terms: succeeded/success, failed/error, or still on its way. */
export function stateOf(status: string | undefined): RegistrationState {
  switch (status?.toLowerCase()) {
    case 'succeeded':
    case 'success':
      return 'succeeded';
    case 'failed':
    case 'error':
      return 'failed';
    case 'queued':
      return 'queued';
    case 'processing':
      return 'processing';
    default:
      return 'pending';
  }
}

async function call(url: string, init: RequestInit): Promise<ServerAnswer> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause ?? error;
    throw new Error(`The NATIX server at ${new URL(url).origin} did not answer: ${errorMessage(cause)}`, {
      cause: error,
    });
  }
  const text = await response.text();
  let body: z.infer<typeof AnswerSchema> = {};
  try {
    const parsed = AnswerSchema.safeParse(JSON.parse(text));
    if (parsed.success) body = parsed.data;
  } catch {
    // Not JSON: its text is what it said.
  }
  const detail = typeof body.detail === 'string' ? body.detail : null;
  const said = body.error_message ?? body.message ?? detail ?? (text.slice(0, 300) || null);
  if (!response.ok) return { state: 'failed', said: `${response.status}: ${said ?? 'no detail'}` };
  return { state: stateOf(body.status), said: body.error_message ?? body.message ?? null };
}

export function postRegistration(server: string, request: RegistrationRequest): Promise<ServerAnswer> {
  return call(`${server.replace(/\/+$/, '')}/participants/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
}

export function registrationStatus(server: string, uid: string): Promise<ServerAnswer> {
  return call(`${server.replace(/\/+$/, '')}/participants/registration-status/${encodeURIComponent(uid)}`, {
    method: 'GET',
  });
}
