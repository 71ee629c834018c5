import { z } from 'zod';

/** A SHA-256 digest as 64 lowercase hex digits, the form `digest('hex')` and `sha256sum` give. */
const HEX_DIGEST = '[0-9a-f]{64}';

/** A content hash: images and synced files are named and compared by it. */
export const Sha256Schema = z.string().regex(new RegExp(`^${HEX_DIGEST}$`));

/** The same digest tagged with its algorithm, as `model.json` records its training data: `sha256:…`. */
export const TaggedSha256Schema = z
  .string()
  .regex(new RegExp(`^sha256:${HEX_DIGEST}$`), 'must be "sha256:" and 64 hex digits');
