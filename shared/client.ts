import {
  commands,
  streams,
  type CommandName,
  type CommandRequest,
  type CommandResponse,
  type StreamEvent,
  type StreamName,
  type StreamParams,
} from './contract.js';
import { ApiError, describeZodError, type ApiErrorPayload } from './errors.js';
import { InvokeResultSchema, type ConnectionState, type Transport } from './transport/transport.js';

/**
 * The typed face of the OperatorApi for the renderer (and for tests and remote consoles). It
 * checks everything the back end sends against the contract, whichever transport carried it.
 */
export class OperatorClient {
  constructor(private readonly transport: Transport) {}

  async call<K extends CommandName>(name: K, request: CommandRequest<K>): Promise<CommandResponse<K>> {
    const raw = await this.transport.invoke(name, request);
    const result = InvokeResultSchema.safeParse(raw);
    if (!result.success) {
      throw new ApiError('invalid_response', `${name}: malformed reply from the back end`);
    }
    if (!result.data.ok) throw ApiError.fromPayload(result.data.error);
    const value = commands[name].response.safeParse(result.data.value);
    if (!value.success) {
      throw new ApiError('invalid_response', `${name}: ${describeZodError(value.error)}`);
    }
    return value.data as CommandResponse<K>;
  }

  /**
   * Receives the stream's events in batches. An event that breaks the contract is dropped and
   * reported through `onError`; the rest of the batch still arrives.
   */
  subscribe<K extends StreamName>(
    name: K,
    params: StreamParams<K>,
    onEvents: (events: StreamEvent<K>[]) => void,
    onError: (error: ApiError) => void = () => undefined,
  ): () => void {
    const schema = streams[name].event;
    return this.transport.subscribe(name, params, {
      onEvents: (events) => {
        const valid: StreamEvent<K>[] = [];
        for (const event of events) {
          const parsed = schema.safeParse(event);
          if (parsed.success) valid.push(parsed.data as StreamEvent<K>);
          else onError(new ApiError('invalid_response', `${name}: ${describeZodError(parsed.error)}`));
        }
        if (valid.length > 0) onEvents(valid);
      },
      onError: (error: ApiErrorPayload) => onError(ApiError.fromPayload(error)),
    });
  }

  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    return this.transport.onConnectionChange(listener);
  }
}
