import { z } from 'zod';

export const ApiErrorCodeSchema = z.enum([
  /** The payload failed its schema. */
  'invalid_request',
  'unknown_command',
  'unknown_stream',
  /** The back end answered with something the contract does not allow. */
  'invalid_response',
  /** The transport is down (the back end stopped, the link dropped). */
  'unavailable',
  /** The back end refused the caller (a wrong or expired token). */
  'unauthorized',
  /** A command ran and failed; the message says why in the operator's terms. */
  'failed',
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCodeSchema>;

export const ApiErrorPayloadSchema = z.object({
  code: ApiErrorCodeSchema,
  message: z.string(),
});
export type ApiErrorPayload = z.infer<typeof ApiErrorPayloadSchema>;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }

  toPayload(): ApiErrorPayload {
    return { code: this.code, message: this.message };
  }

  static fromPayload(payload: ApiErrorPayload): ApiError {
    return new ApiError(payload.code, payload.message);
  }
}

/** One line naming each failing field, e.g. `axon.port: expected number, received string`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(payload)';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

/** What to show for a caught value: an Error's message, anything else as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
