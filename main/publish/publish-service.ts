/**
 * The Publish room: the operator's Hugging Face token (kept in a SecretStore, never shown), the
 * model card a publication writes, the upload to the Hub with its progress (its time recorded in
 * the registry: it starts the model's 45/90-day clock) and the registration with NATIX.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandHandlers, Disposable, StreamSources } from '../../shared/contract.js';
import { ModelManifestSchema, type ModelManifest } from '../../shared/domain/model-manifest.js';
import type { RegisteredModel } from '../../shared/domain/model-registry.js';
import {
  IDLE_PUBLISH,
  IDLE_REGISTRATION,
  type ModelCardPreview,
  type PublishProgress,
  type RegistrationStatus,
  type TokenStatus,
} from '../../shared/domain/publish.js';
import { ApiError } from '../../shared/errors.js';
import { Emitter } from '../base/emitter.js';
import { pause } from '../base/retry.js';
import type { MetagraphService } from '../chain/metagraph-service.js';
import type { Logger } from '../log/log-service.js';
import type { ModelService } from '../models/model-service.js';
import type { SettingsService } from '../settings/settings-service.js';
import { HubClient, HubError } from './hub-client.js';
import { uploadToHub, type FileToUpload } from './hub-upload.js';
import { buildModelCard, buildReadme } from './model-card.js';
import { buildRegistration, postRegistration, registrationStatus } from './natix-registration.js';
import { publishingHotkey } from './publishing-hotkey.js';
import { describeRedacted } from './redact.js';
import type { SecretStore } from './secret-store.js';

export const HF_TOKEN_SECRET = 'huggingface-token';
/** The public NATIX server: a rehearsal's registration is signed and shown, never sent there. */
const PUBLIC_NATIX = 'https://hydra.natix.network';

export interface PublishServiceDependencies {
  settings: SettingsService;
  models: ModelService;
  metagraph: MetagraphService;
  secrets: SecretStore;
  dataDir: string;
  log: Logger;
  /** register.sh polls every 3 s for up to 3 minutes. */
  natixPoll?: { intervalMs: number; timeoutMs: number };
  /** How long the first retry of a dropped upload waits (doubling after). */
  uploadRetryDelayMs?: number;
}

type PublishCommand =
  | 'publish.tokenStatus'
  | 'publish.setToken'
  | 'publish.clearToken'
  | 'publish.modelCard'
  | 'publish.upload'
  | 'publish.register';

const PROGRESS_EVERY_MS = 100;

export class PublishService {
  private progress: PublishProgress = IDLE_PUBLISH;
  private registration: RegistrationStatus = IDLE_REGISTRATION;
  private readonly progressChanged = new Emitter<PublishProgress>();
  private readonly registrationChanged = new Emitter<RegistrationStatus>();
  private user: { name: string | null; note: string | null } | null = null;
  private lastProgressAt = 0;
  private polling: AbortController | null = null;
  private uploading: Promise<void> | null = null;
  /** Ends the upload in progress (its backoff waits too) when the console shuts down. */
  private readonly closing = new AbortController();

  constructor(private readonly deps: PublishServiceDependencies) {}

  async tokenStatus(): Promise<TokenStatus> {
    const token = await this.deps.secrets.get(HF_TOKEN_SECRET);
    if (token === null) return { set: false, user: null, note: null, storage: this.deps.secrets.kind };
    this.user ??= await this.whoami(token);
    return { set: true, user: this.user.name, note: this.user.note, storage: this.deps.secrets.kind };
  }

  /** Kept only when the Hub does not refuse it (an unreachable Hub keeps it, saying so). */
  async setToken(token: string): Promise<TokenStatus> {
    const who = await this.whoami(token);
    if (who.refused) throw new ApiError('failed', who.note ?? 'The Hub refused this token; it was not kept.');
    await this.deps.secrets.set(HF_TOKEN_SECRET, token);
    this.user = who;
    this.deps.log.info(`Hugging Face token kept (${this.deps.secrets.kind})${who.name ? ` for ${who.name}` : ''}.`);
    return this.tokenStatus();
  }

  async clearToken(): Promise<TokenStatus> {
    await this.deps.secrets.delete(HF_TOKEN_SECRET);
    this.user = null;
    this.deps.log.info('Hugging Face token forgotten.');
    return this.tokenStatus();
  }

  async modelCard(modelId: string, repo: string | null): Promise<ModelCardPreview> {
    const model = this.deps.models.get(modelId);
    const { files, rehearsal, card, readme } = await this.prepare(model, repo, new Date());
    return { card, readme, files: files.map((file) => ({ path: file.path, size: file.content.length })), rehearsal };
  }

  /** Starts the upload and answers at once; its progress follows on the stream. */
  async upload(modelId: string, repo: string): Promise<PublishProgress> {
    if (this.uploading)
      throw new ApiError('failed', `${this.progress.modelId ?? 'A model'} is being published; one upload at a time.`);
    const model = this.deps.models.get(modelId);
    const token = await this.deps.secrets.get(HF_TOKEN_SECRET);
    if (token === null) throw new ApiError('failed', 'Give a Hugging Face token (with write access) first.');
    const prepared = await this.prepare(model, repo, new Date());
    const total = prepared.files.reduce((sum, file) => sum + file.content.length, 0);
    this.setProgress(
      { ...IDLE_PUBLISH, state: 'uploading', modelId, repo, step: 'Starting…', totalBytes: total },
      true,
    );
    await this.deps.settings.update({ publish: { hfRepo: repo } });
    this.uploading = this.runUpload(model, repo, token, prepared.files).finally(() => {
      this.uploading = null;
    });
    return this.progress;
  }

  /** Signs and sends the registration; answers with the server's first word, then polls in the background. */
  async register(modelRepo: string, uidGiven: number | undefined): Promise<RegistrationStatus> {
    this.polling?.abort();
    const settings = this.deps.settings.get();
    const server = settings.publish.natixServer.replace(/\/+$/, '');
    const base = { ...IDLE_REGISTRATION, modelRepo, server };
    let signer;
    try {
      signer = await publishingHotkey(settings, this.deps.dataDir);
    } catch (error) {
      return this.setRegistration({
        ...base,
        state: 'failed',
        message: `No hotkey to sign with: ${describeRedacted(error, null)}`,
      });
    }
    const { hotkey, rehearsal } = signer;
    const view = this.deps.metagraph.current;
    const uid = uidGiven ?? (view.ourHotkey === hotkey.ss58Address ? view.standing?.uid : undefined);
    const known = { ...base, hotkey: hotkey.ss58Address, rehearsal };
    if (uid === undefined) {
      return this.setRegistration({
        ...known,
        state: 'failed',
        message: 'Our uid is not known yet: start mining (the metagraph names it) or give the uid.',
      });
    }
    const request = buildRegistration(hotkey, uid, modelRepo, new Date());
    const signed = { ...known, uid };
    if (rehearsal && server === PUBLIC_NATIX) {
      return this.setRegistration({
        ...signed,
        state: 'not-sent',
        message: `Rehearsal on the local subnet: the registration was signed with the local hotkey, not sent to ${PUBLIC_NATIX}. Point Settings at a test server to send it.`,
      });
    }
    this.deps.log.info(
      `Registering uid ${uid} (${hotkey.ss58Address}) with ${server} for ${modelRepo}${rehearsal ? ' (rehearsal)' : ''}.`,
    );
    let answer;
    try {
      answer = await postRegistration(server, request);
    } catch (error) {
      return this.setRegistration({ ...signed, state: 'failed', message: describeRedacted(error, null) });
    }
    const prefix = rehearsal ? 'Rehearsal (local hotkey): ' : '';
    const status = this.setRegistration({
      ...signed,
      state: answer.state,
      message: `${prefix}${answer.state === 'failed' ? 'Refused' : 'Sent; waiting for the server'}${answer.said ? `: ${answer.said}` : '.'}`,
    });
    if (answer.state !== 'failed' && answer.state !== 'succeeded') void this.poll(server, String(uid), signed, prefix);
    return status;
  }

  handlers(): CommandHandlers<PublishCommand> {
    return {
      'publish.tokenStatus': () => this.tokenStatus(),
      'publish.setToken': ({ token }) => this.setToken(token),
      'publish.clearToken': () => this.clearToken(),
      'publish.modelCard': ({ modelId, repo }) =>
        this.modelCard(modelId, repo ?? this.deps.settings.get().publish.hfRepo),
      'publish.upload': ({ modelId, repo }) => this.upload(modelId, repo),
      'publish.register': ({ modelRepo, uid }) => this.register(modelRepo, uid),
    };
  }

  streams(): StreamSources<'publish.progress' | 'publish.registration'> {
    return {
      'publish.progress': (_params, emit) => this.follow(this.progress, this.progressChanged, emit),
      'publish.registration': (_params, emit) => this.follow(this.registration, this.registrationChanged, emit),
    };
  }

  async dispose(): Promise<void> {
    this.polling?.abort();
    this.closing.abort();
    await this.uploading?.catch(() => undefined);
    this.progressChanged.dispose();
    this.registrationChanged.dispose();
  }

  private follow<T>(now: T, emitter: Emitter<T>, emit: (value: T) => void): Disposable {
    emit(now);
    return emitter.event(emit);
  }

  private async runUpload(model: RegisteredModel, repo: string, token: string, files: FileToUpload[]): Promise<void> {
    const endpoint = this.deps.settings.get().publish.hfEndpoint.replace(/\/+$/, '');
    try {
      await uploadToHub({
        client: new HubClient(endpoint, token),
        repo,
        files,
        summary: `Publish ${model.name} ${model.version} from the StreetVision console`,
        retryDelayMs: this.deps.uploadRetryDelayMs,
        signal: this.closing.signal,
        onProgress: (progress) => this.setProgress({ ...this.progress, ...progress }),
      });
      const at = new Date().toISOString();
      this.deps.models.markPublished(model.id, at, repo);
      const url = `${endpoint}/${repo}`;
      this.deps.log.info(`Published ${model.id} to ${url}; its reward window counts from ${at}.`);
      this.setProgress({ ...this.progress, state: 'done', step: 'Published.', url }, true);
    } catch (error) {
      const reason = describeRedacted(error, token);
      const resumable = error instanceof HubError && error.retryable;
      this.deps.log.error(`Publishing ${model.id} to ${repo} failed: ${reason}`);
      this.setProgress(
        {
          ...this.progress,
          state: 'failed',
          step: resumable ? 'Stopped; Publish again sends only what the Hub does not hold yet.' : 'Stopped.',
          error: reason,
        },
        true,
      );
    }
  }

  private async prepare(
    model: RegisteredModel,
    repo: string | null,
    now: Date,
  ): Promise<{ files: FileToUpload[]; rehearsal: boolean; card: ModelCardPreview['card']; readme: string }> {
    let manifestText: string;
    let manifest: ModelManifest;
    try {
      manifestText = await readFile(join(model.dir, 'model.json'), 'utf8');
      manifest = ModelManifestSchema.parse(JSON.parse(manifestText));
    } catch (error) {
      throw new ApiError('failed', `${model.id}'s model.json cannot be read (${describeRedacted(error, null)}).`);
    }
    let signer;
    try {
      signer = await publishingHotkey(this.deps.settings.get(), this.deps.dataDir);
    } catch (error) {
      throw new ApiError(
        'failed',
        `The model card names our hotkey, which cannot be loaded: ${describeRedacted(error, null)}`,
      );
    }
    const card = buildModelCard(model, signer.hotkey.ss58Address, now);
    const readme = buildReadme(model, manifest, card, repo);
    const onnx = await readFile(join(model.dir, manifest.file));
    return {
      rehearsal: signer.rehearsal,
      card,
      readme,
      files: [
        { path: manifest.file, content: onnx },
        { path: 'model.json', content: Buffer.from(manifestText) },
        { path: 'model_card.json', content: Buffer.from(`${JSON.stringify(card, null, 2)}\n`) },
        { path: 'README.md', content: Buffer.from(readme) },
      ],
    };
  }

  private async whoami(token: string): Promise<{ name: string | null; note: string | null; refused: boolean }> {
    const endpoint = this.deps.settings.get().publish.hfEndpoint;
    try {
      const { name } = await new HubClient(endpoint, token).whoami();
      return { name, note: null, refused: false };
    } catch (error) {
      const refused = error instanceof HubError && (error.status === 401 || error.status === 403);
      return { name: null, note: describeRedacted(error, token), refused };
    }
  }

  private setProgress(next: PublishProgress, force = false): void {
    this.progress = next;
    const now = Date.now();
    if (!force && now - this.lastProgressAt < PROGRESS_EVERY_MS) return;
    this.lastProgressAt = now;
    this.progressChanged.fire(next);
  }

  private setRegistration(next: RegistrationStatus): RegistrationStatus {
    this.registration = next;
    this.registrationChanged.fire(next);
    return next;
  }

  private async poll(server: string, uid: string, signed: RegistrationStatus, prefix: string): Promise<void> {
    const controller = new AbortController();
    this.polling = controller;
    const { intervalMs, timeoutMs } = this.deps.natixPoll ?? { intervalMs: 3000, timeoutMs: 180_000 };
    const deadline = Date.now() + timeoutMs;
    while (!controller.signal.aborted) {
      await pause(intervalMs, controller.signal);
      if (controller.signal.aborted) return;
      if (Date.now() > deadline) {
        this.setRegistration({
          ...signed,
          state: 'timed-out',
          message: `${prefix}No final answer from ${server} in ${Math.round(timeoutMs / 1000)} s; ask again later.`,
        });
        return;
      }
      try {
        const answer = await registrationStatus(server, uid);
        if (controller.signal.aborted) return;
        const words = answer.said ? `: ${answer.said}` : '';
        const message =
          answer.state === 'succeeded'
            ? `${prefix}Registered with NATIX${words}.`
            : answer.state === 'failed'
              ? `${prefix}NATIX refused the registration${words}.`
              : `${prefix}The server says ${answer.state}${words}.`;
        this.setRegistration({ ...signed, state: answer.state, message });
        if (answer.state === 'succeeded' || answer.state === 'failed') return;
      } catch (error) {
        // A poll that does not get through is tried again until the deadline.
        this.deps.log.warn(`Registration status not read: ${describeRedacted(error, null)}`);
      }
    }
  }
}
