/** The Publish area's part of the contract: the Hub token, the model card, the upload, NATIX registration. */
import { z } from 'zod';
import { command, NoInput, stream } from '../contract-spec.js';
import { ModelIdSchema } from '../domain/model-registry.js';
import {
  HfRepoIdSchema,
  HfTokenSchema,
  ModelCardPreviewSchema,
  PublishProgressSchema,
  RegistrationStatusSchema,
  TokenStatusSchema,
} from '../domain/publish.js';

export const publishCommands = {
  'publish.tokenStatus': command({
    request: NoInput,
    response: TokenStatusSchema,
    summary: "Whether a Hugging Face token is kept, and whose (whoami's user name); never the token.",
  }),
  'publish.setToken': command({
    request: z.object({ token: HfTokenSchema }).strict(),
    response: TokenStatusSchema,
    summary:
      'Keep the operator’s Hub token (OS keychain, or a 0600 file when headless); a token the Hub refuses is not kept.',
  }),
  'publish.modelCard': command({
    request: z.object({ modelId: ModelIdSchema, repo: HfRepoIdSchema.optional() }).strict(),
    response: ModelCardPreviewSchema,
    summary: 'The model_card.json and README.md a publication would upload, with the files it sends.',
  }),
  'publish.upload': command({
    request: z.object({ modelId: ModelIdSchema, repo: HfRepoIdSchema }).strict(),
    response: PublishProgressSchema,
    summary:
      'Upload the model folder to the Hub (repo created if missing, ONNX through LFS, resumable); answers at once, progress on publish.progress.',
  }),
  'publish.register': command({
    request: z
      .object({
        modelRepo: HfRepoIdSchema,
        /** Our uid on the subnet; the metagraph's when mining. */
        uid: z.number().int().min(0).max(65535).optional(),
      })
      .strict(),
    response: RegistrationStatusSchema,
    summary:
      "Sign the timestamp with the hotkey and register with the NATIX server (register.sh's request); the status follows on publish.registration.",
  }),
  'publish.clearToken': command({
    request: NoInput,
    response: TokenStatusSchema,
    summary: 'Forget the Hub token.',
  }),
} as const;

export const publishStreams = {
  'publish.progress': stream({
    params: NoInput,
    event: PublishProgressSchema,
    summary: 'The upload now, then as bytes go out (bytes sent of the total) and when it ends.',
  }),
  'publish.registration': stream({
    params: NoInput,
    event: RegistrationStatusSchema,
    summary: 'The NATIX registration now, then each status the server answers while it is polled.',
  }),
} as const;
