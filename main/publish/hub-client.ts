/**
 * The parts of the Hugging Face Hub's HTTP API a publication needs: whoami, repo creation, the
 * preupload check, the Git LFS batch API and its transfers, and the NDJSON commit. Every answer
 * is checked with a schema; every error message is redacted (the token never leaves in one).
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { z } from 'zod';
import { describeRedacted, redactSecret } from './redact.js';

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

const WhoamiSchema = z.object({ name: z.string() });
const PreuploadSchema = z.object({
  files: z.array(z.object({ path: z.string(), uploadMode: z.enum(['lfs', 'regular']) })),
});
const ActionSchema = z.object({ href: z.string(), header: z.record(z.string(), z.string()).optional() });
const BatchSchema = z.object({
  transfer: z.string().optional(),
  objects: z.array(
    z.object({
      oid: z.string(),
      size: z.number(),
      actions: z.object({ upload: ActionSchema.optional(), verify: ActionSchema.optional() }).optional(),
      error: z.object({ code: z.number(), message: z.string() }).optional(),
    }),
  ),
});
export type LfsBatch = z.infer<typeof BatchSchema>;
export type LfsAction = z.infer<typeof ActionSchema>;
const CommitSchema = z.object({ commitUrl: z.string().optional(), commitOid: z.string().optional() });

const JSON_TIMEOUT_MS = 60_000;
const UPLOAD_IDLE_TIMEOUT_MS = 120_000;
/** Bytes written to the socket at a time, so progress moves as the upload goes. */
const WRITE_SLICE = 64 * 1024;

export class HubClient {
  private readonly endpoint: string;

  constructor(
    endpoint: string,
    private readonly token: string,
  ) {
    this.endpoint = endpoint.replace(/\/+$/, '');
  }

  async whoami(): Promise<{ name: string }> {
    return WhoamiSchema.parse(await this.json('GET', '/api/whoami-v2'));
  }

  /** Creates a model repo; one that exists already is fine. */
  async ensureRepo(repo: string): Promise<'created' | 'exists'> {
    const [organization, name] = repo.split('/') as [string, string];
    const { name: user } = await this.whoami();
    const body = { type: 'model', name, private: false, ...(organization === user ? {} : { organization }) };
    try {
      await this.json('POST', '/api/repos/create', body);
      return 'created';
    } catch (error) {
      if (error instanceof HubError && error.status === 409) return 'exists';
      throw error;
    }
  }

  /** Which files go through LFS, as the Hub decides. */
  async preupload(
    repo: string,
    files: { path: string; size: number; sample: string }[],
  ): Promise<Map<string, 'lfs' | 'regular'>> {
    const answer = PreuploadSchema.parse(await this.json('POST', `/api/models/${repo}/preupload/main`, { files }));
    return new Map(answer.files.map((file) => [file.path, file.uploadMode]));
  }

  async lfsBatch(repo: string, objects: { oid: string; size: number }[]): Promise<LfsBatch> {
    const answer = await this.json(
      'POST',
      `/${repo}.git/info/lfs/objects/batch`,
      { operation: 'upload', transfers: ['basic', 'multipart'], hash_algo: 'sha256', ref: { name: 'main' }, objects },
      { accept: 'application/vnd.git-lfs+json', 'content-type': 'application/vnd.git-lfs+json' },
    );
    return BatchSchema.parse(answer);
  }

  /** POST a JSON body to a URL the LFS server gave (multipart completion, verify). */
  async postAction(action: LfsAction, body: unknown): Promise<void> {
    await this.json('POST', action.href, body, { 'content-type': 'application/vnd.git-lfs+json', ...action.header });
  }

  /** The commit: a header line, then one line per file (inline base64 or an LFS pointer). */
  async commit(repo: string, lines: unknown[]): Promise<{ commitUrl: string | null }> {
    const body = lines.map((line) => JSON.stringify(line)).join('\n');
    const answer = CommitSchema.parse(
      await this.json('POST', `/api/models/${repo}/commit/main`, body, { 'content-type': 'application/x-ndjson' }),
    );
    return { commitUrl: answer.commitUrl ?? null };
  }

  /** PUT bytes to an upload URL, reporting bytes written; answers the part's ETag when one is given. */
  put(
    url: string,
    headers: Record<string, string>,
    data: Buffer,
    onSent: (bytes: number) => void,
  ): Promise<string | null> {
    return new Promise((resolve, reject) => {
      const target = new URL(url);
      const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, {
        method: 'PUT',
        // An upload URL of the Hub's own carries no token; presigned storage URLs must not get it.
        headers: { ...headers, 'content-length': String(data.length) },
        timeout: UPLOAD_IDLE_TIMEOUT_MS,
      });
      const fail = (message: string, status: number | null): void =>
        reject(new HubError(status, redactSecret(message, this.token)));
      request.on('timeout', () => request.destroy(new Error('no progress for two minutes')));
      request.on('error', (error) => fail(`The upload to ${target.host} was cut: ${error.message}`, null));
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => fail(`The upload's answer was cut: ${error.message}`, null));
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300)
            resolve(typeof response.headers.etag === 'string' ? response.headers.etag : null);
          else
            fail(
              `The Hub refused an upload (${status}): ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`,
              status,
            );
        });
      });
      let offset = 0;
      const writeMore = (): void => {
        while (offset < data.length) {
          const slice = data.subarray(offset, offset + WRITE_SLICE);
          offset += slice.length;
          const flushed = request.write(slice, () => onSent(slice.length));
          if (!flushed) {
            request.once('drain', writeMore);
            return;
          }
        }
        request.end();
      };
      writeMore();
    });
  }

  private async json(
    method: string,
    pathOrUrl: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<unknown> {
    const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${this.endpoint}${pathOrUrl}`;
    const shown = `${method} ${new URL(url).pathname}`;
    let response: Response;
    try {
      // Headers set case-insensitively: an action's own Authorization replaces ours, never doubles it.
      const all = new Headers({ authorization: `Bearer ${this.token}` });
      if (body !== undefined) all.set('content-type', 'application/json');
      for (const [name, value] of Object.entries(headers)) all.set(name, value);
      response = await fetch(url, {
        method,
        headers: all,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(JSON_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      throw new HubError(
        null,
        `The Hub at ${this.endpoint} did not answer ${shown}: ${describeRedacted(cause ?? error, this.token)}`,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      const detail = readError(text);
      const hint = response.status === 401 ? ' (the token is wrong, expired or lacks write access)' : '';
      throw new HubError(
        response.status,
        redactSecret(`The Hub refused ${shown} (${response.status}${hint}): ${detail}`, this.token),
      );
    }
    try {
      return text === '' ? {} : (JSON.parse(text) as unknown);
    } catch {
      throw new HubError(response.status, `The Hub answered ${shown} with something that is not JSON.`);
    }
  }
}

function readError(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
    const message = parsed.error ?? parsed.message;
    if (typeof message === 'string') return message.slice(0, 300);
  } catch {
    // Not JSON: the text as it is.
  }
  return text.slice(0, 300) || 'no detail';
}
