/**
 * What an interrupted upload already got across, kept on disk so a dropped link or a restart
 * resumes: for each LFS object of a repo, the multipart parts sent and the ETags the server gave
 * (the completion needs them). Written durably after every part.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileDurably } from '../base/durable-file.js';

const StateSchema = z.object({
  repo: z.string(),
  objects: z.record(z.string(), z.object({ parts: z.record(z.string(), z.string()) })),
});
type State = z.infer<typeof StateSchema>;

export class ResumeState {
  private constructor(
    private readonly path: string,
    private state: State,
  ) {}

  /** The state for `repo` in `dir`; a missing or unreadable file starts afresh (the server still says what it has). */
  static async open(dir: string, repo: string): Promise<ResumeState> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, `${createHash('sha256').update(repo).digest('hex').slice(0, 32)}.json`);
    let state: State = { repo, objects: {} };
    try {
      const parsed = StateSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
      if (parsed.success && parsed.data.repo === repo) state = parsed.data;
    } catch {
      // Nothing kept yet.
    }
    return new ResumeState(path, state);
  }

  etag(oid: string, part: number): string | null {
    return this.state.objects[oid]?.parts[String(part)] ?? null;
  }

  async recordPart(oid: string, part: number, etag: string): Promise<void> {
    const object = (this.state.objects[oid] ??= { parts: {} });
    object.parts[String(part)] = etag;
    await writeFileDurably(this.path, JSON.stringify(this.state));
  }

  /** The publication is committed: nothing left to resume. */
  async clear(): Promise<void> {
    this.state = { repo: this.state.repo, objects: {} };
    await rm(this.path, { force: true });
  }
}
