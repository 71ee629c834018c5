/**
 * Sends dropped files to the back end in chunks small enough for one frame of either transport,
 * then imports them as one batch: a verdict per file, by the name it was dropped with.
 */
import type { OperatorClient } from '../../shared/client.js';
import { UPLOAD_CHUNK_BYTES } from '../../shared/domain/hard-case.js';
import type { DroppedFile } from './dropped-files.js';

export interface ImportVerdict {
  path: string;
  status: 'added' | 'duplicate' | 'refused';
  reason?: string;
}

export interface UploadProgress {
  sentBytes: number;
  totalBytes: number;
  files: number;
}

function batchId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // In slices: one String.fromCharCode over half a megabyte overflows the call stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Names the back end would refuse as a path are made safe; the verdict still names the file. */
function safeName(name: string): string {
  return name
    .split(/[\\/]+/)
    .filter((part) => part !== '' && part !== '.' && part !== '..')
    .join('/');
}

export async function uploadAndImport(
  client: OperatorClient,
  dropped: readonly DroppedFile[],
  onProgress: (progress: UploadProgress) => void = () => undefined,
): Promise<ImportVerdict[]> {
  const batch = batchId();
  const totalBytes = dropped.reduce((sum, { file }) => sum + file.size, 0);
  let sentBytes = 0;
  const files: { name: string; size: number }[] = [];
  const early: ImportVerdict[] = [];
  const seen = new Set<string>();
  for (const { name, file } of dropped) {
    const safe = safeName(name);
    if (!safe || seen.has(safe)) {
      early.push({
        path: name,
        status: 'refused',
        reason: safe ? 'is named twice in this drop' : 'has no usable name',
      });
      continue;
    }
    seen.add(safe);
    files.push({ name: safe, size: file.size });
    // An empty file still gets staged (one empty chunk), so its verdict says what is wrong with it.
    for (let offset = 0; offset === 0 || offset < file.size; offset += UPLOAD_CHUNK_BYTES) {
      const chunk = new Uint8Array(await file.slice(offset, offset + UPLOAD_CHUNK_BYTES).arrayBuffer());
      try {
        await client.call('hardcases.upload', { batch, name: safe, offset, data: toBase64(chunk) });
      } catch {
        // The back end refuses the rest of a file it will not take (too large); its verdict says why.
        break;
      }
      sentBytes += chunk.length;
      onProgress({ sentBytes, totalBytes, files: files.length });
    }
  }
  if (files.length === 0) return early;
  const verdicts = await client.call('hardcases.importUploaded', { batch, files });
  return [...verdicts, ...early];
}
