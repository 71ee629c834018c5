import { errorMessage } from '../../shared/errors.js';
/** A message with every copy of the secret (and anything shaped like a Hub token) blotted out. */
export function redactSecret(text: string, secret: string | null): string {
  const blotted = secret && secret.length >= 4 ? text.split(secret).join('hf_***') : text;
  return blotted.replace(/hf_[A-Za-z0-9_-]{8,}/g, 'hf_***');
}

/** An error's message, redacted: what may reach a log, a reply or the screen. */
export function describeRedacted(error: unknown, secret: string | null): string {
  return redactSecret(errorMessage(error), secret);
}
