/**
 * The cases' thumbnails, by hash beside the full images: made when an image comes in, or later
 * from the image on disk when one is asked for and missing. One making per hash at a time.
 */
import { readFile } from 'node:fs/promises';
import { storeThumbnail, thumbnailPath } from '../store/thumbnails.js';

export class HardCaseThumbnails {
  private readonly making = new Map<string, Promise<boolean>>();

  constructor(
    /** Where thumbnails live, by hash. */
    private readonly root: string,
    /** Where a case's full image lives. */
    private readonly imagePath: (hash: string) => string,
  ) {}

  /** The case's thumbnail (made now from its image when it has none yet); null when it has no decodable image. */
  async read(hash: string): Promise<Buffer | null> {
    const path = thumbnailPath(this.root, hash);
    try {
      return await readFile(path);
    } catch {
      if (!(await this.make(hash))) return null;
      return readFile(path).catch(() => null);
    }
  }

  /** Makes the case's thumbnail from its image (read from disk unless given); false when it cannot be. */
  make(hash: string, image?: Buffer): Promise<boolean> {
    let making = this.making.get(hash);
    if (!making) {
      making = (async () => {
        try {
          await storeThumbnail(this.root, hash, image ?? (await readFile(this.imagePath(hash))));
          return true;
        } catch {
          // No image on disk, or one that does not decode: no thumbnail, and nothing else lost.
          return false;
        }
      })().finally(() => this.making.delete(hash));
      this.making.set(hash, making);
    }
    return making;
  }
}
