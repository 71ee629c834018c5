import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileDurablySync } from '../base/durable-file.js';
import type { UniquenessSnapshot } from './uniqueness-index.js';

/*
 * A uniqueness snapshot on disk: a 4-byte length, a JSON header, then the arrays back to back.
 * Written to a temporary file and renamed over the old one, so a crash leaves the old or the new,
 * never half of one; a file that does not decode is ignored (the index is then built in full).
 */

const FORMAT = 'streetvision-uniqueness/1';

interface Header {
  format: typeof FORMAT;
  model: string;
  dimension: number;
  labelled: number;
  cases: number;
}

export function encodeSnapshot(snapshot: UniquenessSnapshot): Buffer {
  const header: Header = {
    format: FORMAT,
    model: snapshot.model,
    dimension: snapshot.dimension,
    labelled: snapshot.labelled.length,
    cases: snapshot.cases.length,
  };
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const bytes = (array: Float64Array | Float32Array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  return Buffer.concat([
    length,
    json,
    bytes(snapshot.labelled),
    bytes(snapshot.cases),
    bytes(snapshot.nearest),
    bytes(snapshot.dots),
  ]);
}

export function decodeSnapshot(data: Buffer): UniquenessSnapshot | null {
  try {
    const jsonLength = data.readUInt32LE(0);
    const header = JSON.parse(data.subarray(4, 4 + jsonLength).toString('utf8')) as Header;
    if (header.format !== FORMAT) return null;
    let offset = 4 + jsonLength;
    const take = <T extends Float64Array | Float32Array>(
      make: (buffer: ArrayBuffer) => T,
      count: number,
      size: number,
    ): T => {
      const end = offset + count * size;
      if (end > data.length) throw new Error('truncated');
      // A copy: the typed array needs its own aligned buffer.
      const array = make(data.buffer.slice(data.byteOffset + offset, data.byteOffset + end) as ArrayBuffer);
      offset = end;
      return array;
    };
    const snapshot: UniquenessSnapshot = {
      model: header.model,
      dimension: header.dimension,
      labelled: take((b) => new Float64Array(b), header.labelled, 8),
      cases: take((b) => new Float64Array(b), header.cases, 8),
      nearest: take((b) => new Float64Array(b), header.cases, 8),
      dots: take((b) => new Float32Array(b), header.cases, 4),
    };
    return offset === data.length ? snapshot : null;
  } catch {
    return null;
  }
}

export function readSnapshotFile(path: string): UniquenessSnapshot | null {
  try {
    return decodeSnapshot(readFileSync(path));
  } catch {
    return null;
  }
}

/** Synchronous on purpose: it is also written while the host shuts down, before the database closes. */
export function writeSnapshotFile(path: string, snapshot: UniquenessSnapshot): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileDurablySync(path, encodeSnapshot(snapshot));
}
