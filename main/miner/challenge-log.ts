import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { contentPath, writeOnce } from '../store/content-files.js';
import { storeThumbnail, thumbnailPath } from '../store/thumbnails.js';
import type { CommandHandlers, Disposable, StreamSources } from '../../shared/contract.js';
import { HARD_CASE_CONFIDENCE, type ChallengeRecord } from '../../shared/domain/challenge.js';
import { Emitter } from '../base/emitter.js';
import type { Embedding } from '../hardcases/embedding.js';
import type { Logger } from '../log/log-service.js';
import type { Db } from '../store/database.js';
import type { AxonRecord } from './axon-server.js';
import { errorMessage } from '../../shared/errors.js';

/** What the log keeps of an axon record: its outcome, each stage's output and the image bytes. */
export type ChallengeInput = Pick<AxonRecord, 'time' | 'hotkey' | 'uid' | 'status' | 'message' | 'latencyMs'> & {
  prediction: number | null;
  firstStage: number | null;
  secondStage: number | null;
  testnetLabel: number | null;
  image: Buffer | null;
  /** The first stage's embedding of the image, when its model has one. Kept with hard cases only. */
  embedding?: Embedding | null;
};

interface Row {
  id: number;
  time: string;
  hotkey: string;
  uid: number | null;
  status: number;
  message: string;
  latency_ms: number;
  prediction: number | null;
  first_stage: number | null;
  second_stage: number | null;
  testnet_label: number | null;
  image_hash: string | null;
  hard_case: number;
}

/**
 * Every request the axon saw, in SQLite, with a thumbnail of its image stored once by content
 * hash; the whole image too when the miner was unsure, as a hard-case candidate for labelling.
 */
export class ChallengeLog {
  private readonly onRecordEmitter = new Emitter<ChallengeRecord>();
  readonly onRecord = this.onRecordEmitter.event;
  private readonly onHardCaseEmitter = new Emitter<{ record: ChallengeRecord; embedding: Embedding | null }>();
  /**
   * A challenge the miner was unsure of, with its embedding: what the hard cases take in. The
   * embedding goes no further (a record is what consoles are sent).
   */
  readonly onHardCase = this.onHardCaseEmitter.event;
  private readonly insert;
  private readonly selectRecent;

  constructor(
    private readonly db: Db,
    private readonly imagesDir: string,
    private readonly log: Logger,
  ) {
    this.insert = db.prepare(
      `INSERT INTO challenges (time, hotkey, uid, status, message, latency_ms, prediction, first_stage, second_stage, testnet_label, image_hash, hard_case)
       VALUES (@time, @hotkey, @uid, @status, @message, @latencyMs, @prediction, @firstStage, @secondStage, @testnetLabel, @imageHash, @hardCase)`,
    );
    this.selectRecent = db.prepare<[number], Row>('SELECT * FROM challenges ORDER BY id DESC LIMIT ?');
  }

  async record(input: ChallengeInput): Promise<ChallengeRecord> {
    const hardCase =
      input.prediction !== null && Math.max(input.prediction, 1 - input.prediction) < HARD_CASE_CONFIDENCE;
    let imageHash: string | null = null;
    if (input.image && input.image.length > 0) {
      imageHash = createHash('sha256').update(input.image).digest('hex');
      try {
        await this.storeImage(imageHash, input.image, hardCase);
      } catch (error) {
        // An image that will not decode still gets its row; it just has no thumbnail.
        this.log.warn(`No thumbnail for a challenge from ${input.hotkey}: ${errorMessage(error)}`);
      }
    }
    const { image: _image, embedding, ...columns } = input;
    const info = this.insert.run({ ...columns, imageHash, hardCase: hardCase ? 1 : 0 });
    const record: ChallengeRecord = {
      id: Number(info.lastInsertRowid),
      time: input.time,
      hotkey: input.hotkey,
      uid: input.uid,
      status: input.status,
      message: input.message,
      latencyMs: input.latencyMs,
      prediction: input.prediction,
      firstStage: input.firstStage,
      secondStage: input.secondStage,
      testnetLabel: input.testnetLabel,
      imageHash,
      hardCase,
    };
    this.onRecordEmitter.fire(record);
    if (hardCase && imageHash) this.onHardCaseEmitter.fire({ record, embedding: embedding ?? null });
    return record;
  }

  recent(limit: number): ChallengeRecord[] {
    return this.selectRecent.all(limit).reverse().map(fromRow);
  }

  /** The newest `backlog` records, oldest first, then every new one. */
  stream(backlog: number, emit: (record: ChallengeRecord) => void): Disposable {
    for (const record of this.recent(backlog)) emit(record);
    return this.onRecord(emit);
  }

  handlers(): CommandHandlers<'challenges.thumbnail'> {
    return {
      'challenges.thumbnail': async ({ hash }) => {
        try {
          return { dataUrl: `data:image/jpeg;base64,${(await readFile(this.thumbnailPath(hash))).toString('base64')}` };
        } catch {
          return { dataUrl: null };
        }
      },
    };
  }

  streams(): StreamSources<'challenges.live'> {
    return {
      'challenges.live': ({ backlog }, emit) => this.stream(backlog, emit),
    };
  }

  thumbnailPath(hash: string): string {
    return thumbnailPath(this.thumbnailsDir, hash);
  }

  /** Where thumbnails live, by content hash: the hard-case store keeps its cases' here too. */
  get thumbnailsDir(): string {
    return join(this.imagesDir, 'thumbs');
  }

  /** Where whole images live: the hard-case store keeps its cases' images here too. */
  get fullImagesDir(): string {
    return join(this.imagesDir, 'full');
  }

  imagePath(hash: string): string {
    return contentPath(this.fullImagesDir, hash);
  }

  private async storeImage(hash: string, image: Buffer, whole: boolean): Promise<void> {
    await storeThumbnail(this.thumbnailsDir, hash, image);
    if (whole) await writeOnce(this.imagePath(hash), image);
  }
}

function fromRow(row: Row): ChallengeRecord {
  return {
    id: row.id,
    time: row.time,
    hotkey: row.hotkey,
    uid: row.uid,
    status: row.status,
    message: row.message,
    latencyMs: row.latency_ms,
    prediction: row.prediction,
    firstStage: row.first_stage,
    secondStage: row.second_stage,
    testnetLabel: row.testnet_label,
    imageHash: row.image_hash,
    hardCase: row.hard_case === 1,
  };
}
