/**
 * How a command or a stream of the contract is declared. Each area of the console declares its
 * own in `shared/api/<area>.ts` with these; `contract.ts` puts them together.
 */
import { z } from 'zod';

export const NoInput = z.object({}).strict();

export interface CommandSpec<Req extends z.ZodType, Res extends z.ZodType> {
  readonly request: Req;
  readonly response: Res;
  readonly summary: string;
}

export interface StreamSpec<Params extends z.ZodType, Event extends z.ZodType> {
  readonly params: Params;
  readonly event: Event;
  readonly summary: string;
}

export function command<Req extends z.ZodType, Res extends z.ZodType>(
  spec: CommandSpec<Req, Res>,
): CommandSpec<Req, Res> {
  return spec;
}

export function stream<Params extends z.ZodType, Event extends z.ZodType>(
  spec: StreamSpec<Params, Event>,
): StreamSpec<Params, Event> {
  return spec;
}
