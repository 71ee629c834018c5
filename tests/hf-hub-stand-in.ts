/**
 * A Hugging Face Hub on loopback for the tests: real HTTP with the Hub's URL layout for what the
 * console (through `@huggingface/hub`) uses — whoami, repo creation, model info at a revision,
 * the file tree, the preupload check, the NDJSON commit, the Git LFS batch API (basic and
 * multipart transfers, verify) and `resolve/<rev>/<file>` downloads with Range.
 * It keeps what was uploaded in memory, records every upload request for the test to count,
 * and can cut the socket of one upload after N body bytes, as a dropped link would.
 *
 * As on the Hub, a batch answer leaves out only the objects the stand-in holds whole; an object
 * still missing gets a fresh multipart upload listing every part (clients check that they get
 * one URL per part), so parts sent under an earlier batch are sent again.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage } from '../shared/errors.js';

export interface HubStandInOptions {
  /** The one token the stand-in accepts (Authorization: Bearer …). */
  token?: string;
  /** The user whoami names; repos are created under it unless an organization is given. */
  user?: string;
  /** Files at least this large, or with these extensions, go through LFS (the Hub's rule of thumb). */
  lfsThreshold?: number;
  lfsExtensions?: readonly string[];
  /** LFS objects at least this large are uploaded in parts of `chunkSize` bytes. */
  multipartThreshold?: number;
  chunkSize?: number;
}

export interface RecordedUpload {
  kind: 'basic' | 'part';
  oid: string;
  /** 1-based part number for a part. */
  part: number | null;
  bytes: number;
  /** False when the socket was cut before the body was whole. */
  complete: boolean;
}

export interface HubRepo {
  id: string;
  /** Committed files by path. */
  files: Map<string, Buffer>;
  commits: { summary: string; oid: string; paths: string[] }[];
}

export interface HubStandIn {
  url: string;
  token: string;
  user: string;
  repos: Map<string, HubRepo>;
  /** LFS objects the stand-in holds, by sha256. */
  lfsObjects: Map<string, Buffer>;
  uploads: RecordedUpload[];
  /** Every request as `METHOD path`, in order. */
  requests: string[];
  /**
   * Cut the socket of an upload (a PUT of an object or a part) after `bytes` body bytes, once:
   * the next upload, or the one after `skip` more have gone through.
   */
  dropNextUploadAfter(bytes: number, skip?: number): void;
  /** Answer the next commit with this HTTP status (the Hub overloaded, say), once. */
  refuseNextCommit(status: number): void;
  /** A repo with files already in it (for download tests). */
  addRepo(id: string, files: Record<string, Buffer | string>): HubRepo;
  /** Every `resolve` download: the file and the byte it started from (a Range request's). */
  downloads: { file: string; from: number }[];
  /** Cut the socket of the next `resolve` download (of `file`, when named) after `bytes` body bytes; once. */
  dropNextDownloadAfter(bytes: number, file?: string): void;
  /** Serve other bytes for a file than the revision API lists (a corrupt mirror). */
  serveInstead(repoId: string, path: string, content: Buffer): void;
  close(): Promise<void>;
}

interface MultipartSession {
  oid: string;
  size: number;
  chunkSize: number;
  parts: Map<number, { data: Buffer; etag: string }>;
}

const REPO_PART = '[A-Za-z0-9][A-Za-z0-9_.-]*';
const ROUTES = {
  repoApi: new RegExp(`^/api/models/(${REPO_PART}/${REPO_PART})(?:/(preupload|commit|revision|tree)/([^/]+))?$`),
  lfsBatch: new RegExp(`^/(${REPO_PART}/${REPO_PART})\\.git/info/lfs/objects/batch$`),
  lfsVerify: new RegExp(`^/(${REPO_PART}/${REPO_PART})\\.git/info/lfs/objects/verify$`),
  resolve: new RegExp(`^/(${REPO_PART}/${REPO_PART})/resolve/([^/]+)/(.+)$`),
  basicPut: /^\/lfs-upload\/([0-9a-f]{64})$/,
  partPut: /^\/lfs-multipart\/(\d+)\/(\d+)$/,
  complete: /^\/lfs-multipart\/(\d+)\/complete$/,
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startHubStandIn(options: HubStandInOptions = {}): Promise<HubStandIn> {
  const token = options.token ?? 'hf_standInToken0123456789';
  const user = options.user ?? 'operator';
  const lfsThreshold = options.lfsThreshold ?? 10 * 1024 * 1024;
  const lfsExtensions = options.lfsExtensions ?? ['.onnx', '.bin', '.safetensors', '.pt', '.pth'];
  const multipartThreshold = options.multipartThreshold ?? 20 * 1024 * 1024;
  const chunkSize = options.chunkSize ?? 10 * 1024 * 1024;
  const repos = new Map<string, HubRepo>();
  const lfsObjects = new Map<string, Buffer>();
  /** Multipart uploads by the id in their URLs: a new one for each batch answer. */
  const sessions = new Map<string, MultipartSession>();
  let nextSession = 1;
  let refuseCommit: number | null = null;
  const uploads: RecordedUpload[] = [];
  const requests: string[] = [];
  let drop: { bytes: number; skip: number } | null = null;
  let dropDownload: { bytes: number; file?: string } | null = null;
  const downloads: { file: string; from: number }[] = [];
  const substitutes = new Map<string, Buffer>();
  let url = '';

  const authorised = (req: IncomingMessage): boolean => req.headers.authorization === `Bearer ${token}`;
  const requireAuth = (req: IncomingMessage): void => {
    if (!authorised(req)) throw new HttpError(401, 'Invalid credentials in Authorization header');
  };
  const repoOf = (id: string): HubRepo => {
    const repo = repos.get(id);
    if (!repo) throw new HttpError(404, 'Repository not found');
    return repo;
  };
  const isLfs = (path: string, size: number): boolean =>
    size >= lfsThreshold || lfsExtensions.some((extension) => path.endsWith(extension));

  function addRepo(id: string, files: Record<string, Buffer | string> = {}): HubRepo {
    const repo: HubRepo = { id, files: new Map(), commits: [] };
    for (const [path, content] of Object.entries(files)) repo.files.set(path, Buffer.from(content));
    repos.set(id, repo);
    return repo;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const method = req.method ?? 'GET';
    requests.push(`${method} ${path}`);
    let match: RegExpExecArray | null;

    if (method === 'GET' && path === '/api/whoami-v2') {
      requireAuth(req);
      return json(res, 200, {
        type: 'user',
        id: '0'.repeat(24),
        name: user,
        fullname: user,
        orgs: [],
        auth: { type: 'access_token', accessToken: { displayName: 'stand-in', role: 'write' } },
      });
    }
    if (method === 'POST' && path === '/api/repos/create') {
      requireAuth(req);
      const body = JSON.parse((await readBody(req)).toString('utf8')) as { name?: string; organization?: string };
      if (!body.name) throw new HttpError(400, 'name is required');
      const id = `${body.organization ?? user}/${body.name}`;
      if (repos.has(id)) return json(res, 409, { error: 'You already created this model repo', url: `${url}/${id}` });
      addRepo(id);
      return json(res, 200, { url: `${url}/${id}`, name: id, id: '0'.repeat(24) });
    }
    if ((match = ROUTES.repoApi.exec(path))) {
      const [, id, action, revision] = match as unknown as [string, string, string | undefined, string | undefined];
      if (method === 'GET' && !action) {
        const repo = repoOf(id);
        return json(res, 200, {
          id,
          modelId: id,
          sha: repo.commits.at(-1)?.oid ?? '0'.repeat(40),
          siblings: [...repo.files.keys()].map((rfilename) => ({ rfilename })),
        });
      }
      if (method === 'GET' && action === 'revision') {
        // The model at a revision: its commit and file names (what `expand=sha` asks for, and more).
        const repo = repoOf(id);
        const sha = revisionSha(repo, revision!);
        const siblings = [...repo.files.keys()].map((rfilename) => ({ rfilename }));
        return json(res, 200, { _id: '0'.repeat(24), id, sha, private: false, siblings });
      }
      if (method === 'GET' && action === 'tree') {
        // Every file with its size, git blob id and, for LFS files, their SHA-256 (one page; `recursive`
        // changes nothing here: the stand-in's repos are flat).
        const repo = repoOf(id);
        revisionSha(repo, revision!);
        return json(
          res,
          200,
          [...repo.files].map(([path, content]) => ({
            type: 'file',
            path,
            size: content.length,
            oid: createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex'),
            ...(isLfs(path, content.length)
              ? { lfs: { oid: sha256(content), size: content.length, pointerSize: 134 } }
              : {}),
          })),
        );
      }
      requireAuth(req);
      const repo = repoOf(id);
      if (revision !== 'main') throw new HttpError(404, `Revision ${revision} not found`);
      if (method === 'POST' && action === 'preupload') {
        const body = JSON.parse((await readBody(req)).toString('utf8')) as {
          files: { path: string; size: number; sample: string }[];
        };
        return json(res, 200, {
          files: body.files.map((file) => ({
            path: file.path,
            uploadMode: isLfs(file.path, file.size) ? 'lfs' : 'regular',
            shouldIgnore: false,
          })),
        });
      }
      if (method === 'POST' && action === 'commit') {
        if (refuseCommit !== null) {
          const status = refuseCommit;
          refuseCommit = null;
          await readBody(req);
          throw new HttpError(status, 'The service is overloaded; try again later');
        }
        return commit(req, res, repo);
      }
    }
    if (method === 'POST' && (match = ROUTES.lfsBatch.exec(path))) {
      requireAuth(req);
      const id = match[1]!;
      repoOf(id);
      const body = JSON.parse((await readBody(req)).toString('utf8')) as {
        operation: string;
        transfers?: string[];
        objects: { oid: string; size: number }[];
      };
      if (body.operation !== 'upload') throw new HttpError(400, 'only uploads are served here');
      const multipartOffered = body.transfers?.includes('multipart') ?? false;
      const anyLarge = body.objects.some((object) => object.size >= multipartThreshold && !lfsObjects.has(object.oid));
      const transfer = multipartOffered && anyLarge ? 'multipart' : 'basic';
      return json(res, 200, {
        transfer,
        objects: body.objects.map((object) => batchAnswer(id, object, transfer === 'multipart')),
      });
    }
    if (method === 'POST' && ROUTES.lfsVerify.test(path)) {
      requireAuth(req);
      const body = JSON.parse((await readBody(req)).toString('utf8')) as { oid: string; size: number };
      const object = lfsObjects.get(body.oid);
      if (!object || object.length !== body.size) throw new HttpError(404, 'Object not found');
      return json(res, 200, { message: 'verified' });
    }
    if (method === 'PUT' && (match = ROUTES.basicPut.exec(path))) {
      const oid = match[1]!;
      const data = await receiveUpload(req, { kind: 'basic', oid, part: null });
      if (sha256(data) !== oid) throw new HttpError(400, 'the content does not match its oid');
      lfsObjects.set(oid, data);
      res.writeHead(200).end();
      return;
    }
    if (method === 'PUT' && (match = ROUTES.partPut.exec(path))) {
      const session = sessions.get(match[1]!);
      const part = Number(match[2]);
      if (!session) throw new HttpError(404, 'no multipart upload for this object');
      const data = await receiveUpload(req, { kind: 'part', oid: session.oid, part });
      const etag = `"${createHash('md5').update(data).digest('hex')}"`;
      session.parts.set(part, { data, etag });
      res.writeHead(200, { ETag: etag }).end();
      return;
    }
    if (method === 'POST' && (match = ROUTES.complete.exec(path))) {
      const sessionId = match[1]!;
      const session = sessions.get(sessionId);
      if (!session) throw new HttpError(404, 'no multipart upload for this object');
      const oid = session.oid;
      const body = JSON.parse((await readBody(req)).toString('utf8')) as {
        oid: string;
        parts: { partNumber: number; etag: string }[];
      };
      const count = Math.ceil(session.size / session.chunkSize);
      if (body.parts.length !== count) throw new HttpError(400, `expected ${count} parts, got ${body.parts.length}`);
      const pieces = body.parts.map(({ partNumber, etag }) => {
        const held = session.parts.get(partNumber);
        if (!held || held.etag !== etag) throw new HttpError(400, `part ${partNumber} is missing or its etag differs`);
        return held.data;
      });
      const data = Buffer.concat(pieces);
      if (sha256(data) !== oid) throw new HttpError(400, 'the assembled object does not match its oid');
      if (body.oid !== oid) throw new HttpError(400, 'the completion names another object');
      lfsObjects.set(oid, data);
      sessions.delete(sessionId);
      return json(res, 200, { oid, size: data.length });
    }
    const download = method === 'GET' ? ROUTES.resolve.exec(path) : null;
    if (download) {
      const [, id, , file] = download as unknown as [string, string, string, string];
      const content = substitutes.get(`${id}/${file}`) ?? repoOf(id).files.get(file);
      if (!content) throw new HttpError(404, 'Entry not found');
      // `Range: bytes=N-` (how a download resumes) is answered with the rest, as 206.
      const from = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
      const body = content.subarray(from);
      const headers = { 'content-type': 'application/octet-stream', 'content-length': body.length };
      if (from > 0)
        res.writeHead(206, { ...headers, 'content-range': `bytes ${from}-${content.length - 1}/${content.length}` });
      else res.writeHead(200, headers);
      downloads.push({ file, from });
      const cut = dropDownload && (dropDownload.file ?? file) === file ? dropDownload : null;
      if (cut === null) return void res.end(body);
      dropDownload = null;
      // A dropped link: part of the body, then the socket is gone.
      res.write(body.subarray(0, cut.bytes), () => setTimeout(() => req.socket.destroy(), 20));
      return;
    }
    throw new HttpError(404, `Nothing at ${method} ${path}`);
  }

  function batchAnswer(repoId: string, object: { oid: string; size: number }, multipart: boolean): unknown {
    if (lfsObjects.has(object.oid)) return { oid: object.oid, size: object.size };
    const verify = {
      href: `${url}/${repoId}.git/info/lfs/objects/verify`,
      header: { Authorization: `Bearer ${token}` },
    };
    if (!multipart || object.size < multipartThreshold) {
      return {
        oid: object.oid,
        size: object.size,
        actions: { upload: { href: `${url}/lfs-upload/${object.oid}` }, verify },
      };
    }
    const sessionId = String(nextSession++);
    sessions.set(sessionId, { oid: object.oid, size: object.size, chunkSize, parts: new Map() });
    const header: Record<string, string> = { chunk_size: String(chunkSize) };
    const count = Math.ceil(object.size / chunkSize);
    for (let part = 1; part <= count; part++)
      header[String(part).padStart(5, '0')] = `${url}/lfs-multipart/${sessionId}/${part}`;
    return {
      oid: object.oid,
      size: object.size,
      actions: { upload: { href: `${url}/lfs-multipart/${sessionId}/complete`, header }, verify },
    };
  }

  async function commit(req: IncomingMessage, res: ServerResponse, repo: HubRepo): Promise<void> {
    const lines = (await readBody(req))
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { key: string; value: Record<string, unknown> });
    const header = lines[0];
    if (header?.key !== 'header') throw new HttpError(400, 'the first line must be the header');
    const staged = new Map<string, Buffer>();
    for (const { key, value } of lines.slice(1)) {
      const path = String(value.path);
      if (key === 'file') {
        if (value.encoding !== 'base64') throw new HttpError(400, `${path}: only base64 content is accepted`);
        staged.set(path, Buffer.from(String(value.content), 'base64'));
      } else if (key === 'lfsFile') {
        const object = lfsObjects.get(String(value.oid));
        if (value.algo !== 'sha256' || !object || object.length !== Number(value.size)) {
          throw new HttpError(422, `${path}: LFS object ${String(value.oid)} was never uploaded`);
        }
        staged.set(path, object);
      } else if (key === 'deletedFile') {
        staged.delete(path);
        repo.files.delete(path);
      } else throw new HttpError(400, `unknown line ${key}`);
    }
    for (const [path, content] of staged) repo.files.set(path, content);
    const oid = createHash('sha1')
      .update(`${repo.id}:${repo.commits.length}:${[...staged.keys()].join(',')}`)
      .digest('hex');
    repo.commits.push({
      summary: typeof header.value.summary === 'string' ? header.value.summary : '',
      oid,
      paths: [...staged.keys()],
    });
    return json(res, 200, { success: true, commitOid: oid, commitUrl: `${url}/${repo.id}/commit/${oid}` });
  }

  /** Reads an upload's body, recording it; cuts the socket once when asked to. */
  function receiveUpload(req: IncomingMessage, what: Omit<RecordedUpload, 'bytes' | 'complete'>): Promise<Buffer> {
    const record: RecordedUpload = { ...what, bytes: 0, complete: false };
    uploads.push(record);
    let cutAt: number | null = null;
    if (drop && drop.skip > 0) drop.skip--;
    else if (drop) {
      cutAt = drop.bytes;
      drop = null;
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => {
        if (cutAt !== null && record.bytes + chunk.length >= cutAt) {
          const kept = chunk.subarray(0, Math.max(0, cutAt - record.bytes));
          record.bytes += kept.length;
          req.socket.destroy();
          reject(new Error('cut by the test'));
          return;
        }
        record.bytes += chunk.length;
        chunks.push(chunk);
      });
      req.on('end', () => {
        record.complete = true;
        resolve(Buffer.concat(chunks));
      });
      req.on('error', reject);
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (req.socket.destroyed) return;
      const status = error instanceof HttpError ? error.status : 500;
      json(res, status, { error: errorMessage(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    token,
    user,
    repos,
    lfsObjects,
    uploads,
    requests,
    dropNextUploadAfter(bytes, skip = 0) {
      drop = { bytes, skip };
    },
    refuseNextCommit(status) {
      refuseCommit = status;
    },
    addRepo,
    downloads,
    dropNextDownloadAfter(bytes, file) {
      dropDownload = { bytes, file };
    },
    serveInstead(repoId, path, content) {
      substitutes.set(`${repoId}/${path}`, content);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The commit a revision names ('main' or the commit itself); another is not found. */
function revisionSha(repo: HubRepo, revision: string): string {
  const sha = repo.commits.at(-1)?.oid ?? '0'.repeat(40);
  if (revision !== 'main' && revision !== sha) throw new HttpError(404, `Revision ${revision} not found`);
  return sha;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
