/**
 * The first stage's embedding of an image, with the model that made it: vectors of two models
 * live in different spaces and are never compared. On disk a BLOB of little-endian float32s.
 */
export interface Embedding {
  /** The model that made it, `name@version`. */
  model: string;
  vector: Float32Array;
}

export function embeddingModelName(model: { name: string; version: string }): string {
  return `${model.name}@${model.version}`;
}

export function encodeEmbedding(vector: Float32Array): Buffer {
  const bytes = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i]!, i * 4);
  return bytes;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function decodeEmbedding(bytes: Uint8Array): Float32Array {
  return decodeEmbeddingInto(bytes, new Float32Array(bytes.byteLength >> 2));
}

/** Reads the floats into `into` (as long as they are): a rebuild reuses one array for every row. */
export function decodeEmbeddingInto(bytes: Uint8Array, into: Float32Array): Float32Array {
  if (LITTLE_ENDIAN) {
    new Uint8Array(into.buffer, into.byteOffset, into.byteLength).set(bytes.subarray(0, into.byteLength));
    return into;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < into.length; i++) into[i] = view.getFloat32(i * 4, true);
  return into;
}
