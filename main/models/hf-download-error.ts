/** A download from the Hub that cannot go on, in words the operator can act on. */
export class HfDownloadError extends Error {
  override readonly name = 'HfDownloadError';
}
