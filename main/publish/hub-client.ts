/**
 * The Hub as a publication sees it, through the official `@huggingface/hub` client pointed at our
 * configurable endpoint (settings: publish.hfEndpoint): whoami and repo creation here, the commit
 * with its LFS uploads in hub-upload.ts. What stays ours: one error type that says whether trying
 * again can help, and the token blotted out of every message.
 */
import { createRepo, HubApiError, whoAmI } from '@huggingface/hub';
import { redactSecret } from './redact.js';
import { errorMessage } from '../../shared/errors.js';

/** A refusal or failure from the Hub; `status` null when no answer came (a dropped link). */
export class HubError extends Error {
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
  }

  /** A dropped link or a server error: worth trying again. A 4xx is not. */
  get retryable(): boolean {
    return this.status === null || this.status >= 500 || this.status === 429;
  }
}

export class HubClient {
  readonly endpoint: string;

  constructor(
    endpoint: string,
    readonly token: string,
  ) {
    this.endpoint = endpoint.replace(/\/+$/, '');
  }

  /** What every library call is given: our endpoint, never the library's default, and the token. */
  get credentials(): { hubUrl: string; accessToken: string } {
    return { hubUrl: this.endpoint, accessToken: this.token };
  }

  async whoami(): Promise<{ name: string }> {
    try {
      const { name } = await whoAmI(this.credentials);
      return { name };
    } catch (error) {
      throw this.failure(error);
    }
  }

  /** Creates a public model repo; one that exists already is fine. */
  async ensureRepo(repo: string): Promise<'created' | 'exists'> {
    try {
      await createRepo({ repo: { type: 'model', name: repo }, private: false, ...this.credentials });
      return 'created';
    } catch (error) {
      if (error instanceof HubApiError && error.statusCode === 409) return 'exists';
      throw this.failure(error);
    }
  }

  /**
   * A library call's failure in our words: an HTTP refusal keeps its status, a link that dropped
   * has none (worth another try), an abort stays what it is; the token never appears.
   */
  failure(error: unknown): unknown {
    if (error instanceof HubError || (error instanceof Error && error.name === 'AbortError')) return error;
    if (error instanceof HubApiError) {
      const hint = error.statusCode === 401 ? ' (the token is wrong, expired or lacks write access)' : '';
      // The library ends its message with ". URL: … . Request ID: …"; the path is enough here.
      const detail = error.message.split('. URL: ')[0] || 'no detail';
      return new HubError(
        error.statusCode,
        redactSecret(`The Hub refused ${pathOf(error.url)} (${error.statusCode}${hint}): ${detail}`, this.token),
      );
    }
    if (isLinkFailure(error)) {
      const cause = error.cause instanceof Error ? error.cause.message : error.message;
      return new HubError(null, redactSecret(`The link to ${this.endpoint} dropped: ${cause}`, this.token));
    }
    return new Error(redactSecret(errorMessage(error), this.token));
  }
}

/** fetch's own failures: no answer ('fetch failed') or an answer cut short ('terminated'). */
function isLinkFailure(error: unknown): error is TypeError {
  return error instanceof TypeError && (error.message === 'fetch failed' || error.message === 'terminated');
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return 'a request';
  }
}
