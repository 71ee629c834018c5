import { createReadStream } from 'node:fs';

/*
 * A minimal POSIX tar (ustar, with pax headers for long or non-ASCII names and files of 8 GiB or
 * more) written in Node, so a push needs no tar package here: the remote side unpacks it with its
 * own `tar -x`. Regular files only; tar makes their folders as it goes.
 */

export interface TarFile {
  /** Path inside the archive, "/"-separated and relative. */
  name: string;
  /** The local file to read. */
  source: string;
  /** Exactly this many bytes are written; a file that changed size since is an error. */
  size: number;
  mode: number;
  mtimeSeconds: number;
}

const BLOCK = 512;
const MAX_OCTAL_SIZE = 8 ** 11 - 1;

/** The archive as a stream of chunks, reading each file as it goes. */
export async function* tarStream(files: Iterable<TarFile>): AsyncGenerator<Buffer> {
  for (const file of files) {
    const pax = paxRecords(file);
    if (pax) {
      yield header({ name: 'PaxHeader', size: pax.length, mode: 0o644, mtime: file.mtimeSeconds, type: 'x' });
      yield pad(pax);
    }
    yield header({
      name: fitsUstar(file.name) ? file.name : asciiFallback(file.name),
      size: Math.min(file.size, MAX_OCTAL_SIZE),
      mode: file.mode,
      mtime: file.mtimeSeconds,
      type: '0',
    });
    let read = 0;
    for await (const chunk of createReadStream(file.source, { end: Math.max(file.size - 1, 0) })) {
      if (file.size === 0) break;
      read += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
    if (read !== file.size) throw new Error(`${file.name} changed while it was being sent; sync again.`);
    if (file.size % BLOCK !== 0) yield Buffer.alloc(BLOCK - (file.size % BLOCK));
  }
  yield Buffer.alloc(BLOCK * 2);
}

/** A name ustar can hold as is: ASCII, ≤ 100 bytes, or splittable into prefix (≤ 155) / name. */
function fitsUstar(name: string): boolean {
  if (!/^[\x20-\x7e]+$/.test(name)) return false;
  if (name.length <= 100) return true;
  const slash = name.lastIndexOf('/', 155);
  return slash > 0 && name.length - slash - 1 <= 100;
}

function asciiFallback(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, '_').slice(-100);
}

function paxRecords(file: TarFile): Buffer | null {
  const records: string[] = [];
  if (!fitsUstar(file.name)) records.push(record('path', file.name));
  if (file.size > MAX_OCTAL_SIZE) records.push(record('size', String(file.size)));
  return records.length > 0 ? Buffer.from(records.join(''), 'utf8') : null;
}

/** "<length> key=value\n", where length counts the whole record including its own digits. */
function record(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyBytes = Buffer.byteLength(body);
  let length = bodyBytes + 1;
  while (String(length).length + bodyBytes !== length) length = String(length).length + bodyBytes;
  return `${length}${body}`;
}

function header(entry: { name: string; size: number; mode: number; mtime: number; type: string }): Buffer {
  const block = Buffer.alloc(BLOCK);
  let name = entry.name;
  let prefix = '';
  if (name.length > 100) {
    const slash = name.lastIndexOf('/', 155);
    prefix = name.slice(0, slash);
    name = name.slice(slash + 1);
  }
  block.write(name, 0, 100, 'ascii');
  octal(block, 100, 8, entry.mode);
  octal(block, 108, 8, 0);
  octal(block, 116, 8, 0);
  octal(block, 124, 12, entry.size);
  octal(block, 136, 12, Math.max(0, Math.floor(entry.mtime)));
  block.write(entry.type, 156, 1, 'ascii');
  block.write('ustar\u000000', 257, 8, 'ascii');
  block.write(prefix, 345, 155, 'ascii');
  // The checksum is computed with its own field read as spaces.
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return block;
}

function octal(block: Buffer, offset: number, width: number, value: number): void {
  block.write(`${value.toString(8).padStart(width - 1, '0')}\u0000`, offset, width, 'ascii');
}

function pad(data: Buffer): Buffer {
  const rest = data.length % BLOCK;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(BLOCK - rest)]);
}
