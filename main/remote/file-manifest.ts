import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import { quoteRemotePath, shellQuote } from './shell-quote.js';
import type { SshClient } from './ssh-client.js';
import { describeHost, type TrainerHost } from '../../shared/domain/trainer-host.js';
import { Sha256Schema } from '../../shared/domain/sha256.js';

/*
 * What a folder holds, by content: the push compares the local manifest with the remote one and
 * sends only what differs. Sizes and hashes, not times: clocks on a rented GPU box are not ours.
 */

const ManifestEntrySchema = z.object({
  /** Relative, "/"-separated. */
  path: z.string().min(1),
  size: z.number().int().min(0),
  sha256: Sha256Schema,
});
export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;

export interface LocalEntry extends ManifestEntry {
  source: string;
  mode: number;
  mtimeSeconds: number;
}

/**
 * Python's bytecode caches: written by whichever interpreter ran a script last, so they never
 * travel (the box's Python makes its own) and are never compared.
 */
export const CACHE_FOLDER = '__pycache__';

const inCacheFolder = (relativePath: string): boolean => relativePath.split(/[\\/]/).includes(CACHE_FOLDER);

/** Regular files under `dir` (symlinks, other special files and Python's caches are not sent). */
export async function localManifest(dir: string): Promise<LocalEntry[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries.filter((entry) => entry.isFile() && !inCacheFolder(relative(dir, entry.parentPath)));
  const manifest: LocalEntry[] = [];
  for (const entry of files) {
    const source = join(entry.parentPath, entry.name);
    const info = await stat(source);
    manifest.push({
      path: relative(dir, source).split(sep).join('/'),
      size: info.size,
      sha256: await sha256File(source),
      source,
      mode: info.mode & 0o111 ? 0o755 : 0o644,
      mtimeSeconds: Math.floor(info.mtimeMs / 1000),
    });
  }
  return manifest.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The same manifest computed on the remote box by its Python (which the trainer needs anyway), as
 * JSON so that any file name survives. A folder that does not exist yet is simply empty.
 */
const REMOTE_MANIFEST_SCRIPT = `
import hashlib, json, os, sys
root = sys.argv[1]
out = []
for base, dirs, files in os.walk(root):
    dirs[:] = [d for d in dirs if d != "__pycache__"]
    for name in files:
        full = os.path.join(base, name)
        if os.path.islink(full) or not os.path.isfile(full):
            continue
        digest = hashlib.sha256()
        with open(full, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        rel = os.path.relpath(full, root).replace(os.sep, "/")
        out.append({"path": rel, "size": os.path.getsize(full), "sha256": digest.hexdigest()})
json.dump(out, sys.stdout)
`;

export async function remoteManifest(
  client: SshClient,
  host: TrainerHost,
  remoteDir: string,
): Promise<ManifestEntry[]> {
  const command = `${shellQuote(host.python)} - ${quoteRemotePath(remoteDir)}`;
  const result = await client.exec(host, command, { stdin: REMOTE_MANIFEST_SCRIPT });
  if (result.code !== 0) {
    const reason = result.stderr.trim().split('\n').at(-1) ?? '';
    throw new Error(`Could not list ${remoteDir} on ${describeHost(host)} with ${host.python}: ${reason}`);
  }
  // The JSON is one line, and the last: a chatty login script on the box may print before it.
  const json = result.stdout.trim().split('\n').at(-1) ?? '[]';
  return z.array(ManifestEntrySchema).parse(JSON.parse(json));
}
