import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
  /** Vite's hashed assets never change under the same name. */
  immutable: boolean;
}

/**
 * Resolves a URL path inside the built renderer. Paths that climb out of the folder, hidden
 * files and unknown types resolve to nothing; a path without an extension is the app itself.
 */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  // Hidden names (and `..`) are refused before anything else, even where the app would answer.
  if (decoded.split(/[\\/]/).some((part) => part.startsWith('.'))) return null;
  const relative = decoded === '/' || extname(decoded) === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const full = normalize(join(root, relative));
  if (!full.startsWith(normalize(root + sep))) return null;
  const contentType = CONTENT_TYPES[extname(full).toLowerCase()];
  if (!contentType) return null;
  try {
    if (!(await stat(full)).isFile()) return null;
    return { body: await readFile(full), contentType, immutable: relative.startsWith('assets/') };
  } catch {
    return null;
  }
}
