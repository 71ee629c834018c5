import {
  commands,
  isCommandName,
  isStreamName,
  streams,
  type Disposable,
  type OperatorApi,
} from '../../shared/contract.js';
import { ApiError, describeZodError, type ApiErrorPayload, errorMessage } from '../../shared/errors.js';
import type { InvokeResult } from '../../shared/transport/transport.js';
import type { Logger } from '../log/log-service.js';

export type SubscribeResult = { ok: true; subscription: Disposable } | { ok: false; error: ApiErrorPayload };

/**
 * The back end's side of every transport: it checks each incoming command and subscription
 * against the contract before any service sees it, and each answer before it leaves. Both the
 * Electron IPC binding and the WebSocket binding go through here, so they cannot drift apart.
 */
export class ApiEndpoint {
  constructor(
    private readonly api: OperatorApi,
    private readonly log: Logger,
  ) {}

  async invoke(command: unknown, payload: unknown): Promise<InvokeResult> {
    if (!isCommandName(command)) {
      return failure('unknown_command', `Unknown command ${JSON.stringify(command)}.`);
    }
    const spec = commands[command];
    const input = spec.request.safeParse(payload ?? {});
    if (!input.success) {
      return failure('invalid_request', `${command}: ${describeZodError(input.error)}`);
    }
    let value: unknown;
    try {
      const handler = this.api.commands[command] as (input: unknown) => Promise<unknown>;
      value = await handler(input.data);
    } catch (error) {
      if (error instanceof ApiError)
        return { ok: false, error: { code: error.code, message: `${command}: ${error.message}` } };
      this.log.error(`${command} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return failure('failed', `${command}: ${errorMessage(error)}`);
    }
    const output = spec.response.safeParse(value);
    if (!output.success) {
      this.log.error(`${command} produced a reply outside the contract: ${describeZodError(output.error)}`);
      return failure('invalid_response', `${command}: the back end produced an invalid reply`);
    }
    return { ok: true, value: output.data };
  }

  subscribe(stream: unknown, params: unknown, emit: (event: unknown) => void): SubscribeResult {
    if (!isStreamName(stream)) {
      return { ok: false, error: { code: 'unknown_stream', message: `Unknown stream ${JSON.stringify(stream)}.` } };
    }
    const spec = streams[stream];
    const input = spec.params.safeParse(params ?? {});
    if (!input.success) {
      return { ok: false, error: { code: 'invalid_request', message: `${stream}: ${describeZodError(input.error)}` } };
    }
    const source = this.api.streams[stream] as (params: unknown, emit: (event: unknown) => void) => Disposable;
    const subscription = source(input.data, (event) => {
      const checked = spec.event.safeParse(event);
      if (checked.success) emit(checked.data);
      else this.log.error(`${stream} produced an event outside the contract: ${describeZodError(checked.error)}`);
    });
    return { ok: true, subscription };
  }
}

function failure(code: ApiErrorPayload['code'], message: string): InvokeResult {
  return { ok: false, error: { code, message } };
}
