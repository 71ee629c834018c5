/** The Models area's part of the contract: the registry, judging a candidate, deploying, rolling back. */
import { z } from 'zod';
import { command, NoInput, stream } from '../contract-spec.js';
import {
  DeployOutcomeSchema,
  ModelEvaluationSchema,
  ModelIdSchema,
  ModelRegistryViewSchema,
  RegisteredModelSchema,
} from '../domain/model-registry.js';

const ModelId = z.object({ id: ModelIdSchema }).strict();

export const modelsCommands = {
  'models.list': command({
    request: NoInput,
    response: ModelRegistryViewSchema,
    summary: 'Every registered model (newest first), which is live, and what Rollback would serve.',
  }),
  'models.get': command({
    request: ModelId,
    response: RegisteredModelSchema,
    summary: 'One model: manifest fields, metrics, origin, age, latest evaluation and deployments.',
  }),
  'models.import': command({
    request: z.object({ dir: z.string().min(1).max(4096) }).strict(),
    response: RegisteredModelSchema,
    summary: 'Register a folder on the back end’s disk holding model.json + its ONNX file (copied into the registry).',
  }),
  'models.markPublished': command({
    request: ModelId.extend({ at: z.iso.datetime({ offset: true }) }).strict(),
    response: RegisteredModelSchema,
    summary: 'Record when the model was published (its reward window counts from then).',
  }),
  'models.evaluate': command({
    request: ModelId.extend({
      /** Challenges each local validator sends in the rehearsal (a short one by default). */
      rehearsalChallenges: z.number().int().min(1).max(500).optional(),
    }).strict(),
    response: ModelEvaluationSchema,
    summary:
      'Judge a model beside the live one: the eval on the fixed held-out set and a short rehearsal; stored, with the gate’s verdict. One at a time.',
  }),
  'models.deploy': command({
    request: ModelId.extend({ confirm: z.boolean() }).strict(),
    response: DeployOutcomeSchema,
    summary:
      'Serve this model: refused unless confirmed and its stored evaluation against the live model passes the gate. Hot-swapped when mining.',
  }),
  'models.rollback': command({
    request: NoInput,
    response: DeployOutcomeSchema,
    summary: 'Serve the model deployed before the live one again (no gate).',
  }),
} as const;

export const modelsStreams = {
  'models.registry': stream({
    params: NoInput,
    event: ModelRegistryViewSchema,
    summary: 'The registry now, then again on every change (a new model, an evaluation, a deployment).',
  }),
} as const;
