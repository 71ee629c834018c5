import { z } from 'zod';
import { TaggedSha256Schema } from './sha256.js';

/**
 * `model.json`: what the console needs to run a model and to judge it. Written by the trainer
 * script (`resources/trainer/train.py`) beside `model.onnx`; read by inference, eval and the
 * model registry. Pixels enter the network as `(value / 255 - mean) / std`, RGB, NCHW.
 */
export const MODEL_MANIFEST_FORMAT = 'streetvision-model/1';

const ChannelTriple = z.tuple([z.number(), z.number(), z.number()]);

export const ModelManifestSchema = z
  .object({
    format: z.literal(MODEL_MANIFEST_FORMAT),
    name: z.string().min(1).max(200),
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must look like 1.2.3'),
    /** `small-cnn`, or `hf:<repo>` for a fine-tuned Hugging Face image classifier. */
    architecture: z.string().min(1),
    /** The ONNX file, relative to the manifest's folder. */
    file: z.string().regex(/^[\w.-]+\.onnx$/, 'must be a file name ending in .onnx'),
    input: z.object({
      name: z.string().min(1),
      width: z.number().int().min(16).max(2048),
      height: z.number().int().min(16).max(2048),
      mean: ChannelTriple,
      std: ChannelTriple.refine((std) => std.every((value) => value > 0), 'every std must be above 0'),
    }),
    outputs: z.object({
      /** Raw class scores, shape [batch, labels.length]: softmax gives the probabilities. */
      logits: z.string().min(1),
      /** Optional pooled features, shape [batch, D]: the hard-case store ranks uniqueness with it. */
      embedding: z.string().min(1).nullable(),
    }),
    labels: z.array(z.string().min(1)).min(2),
    positiveLabel: z.string().min(1),
    training: z.object({
      dataHash: TaggedSha256Schema,
      images: z.object({ train: z.number().int().min(0), val: z.number().int().min(0) }),
      epochs: z.number().int().min(0),
      steps: z.number().int().min(0),
      seed: z.number().int(),
      device: z.string().min(1),
      durationS: z.number().min(0),
      /** The exact command that reproduces this model from its data. */
      command: z.string().min(1),
      /** How the data was made, when the trainer was told (e.g. the `npm run scenes` command). */
      dataCommand: z.string().min(1).nullable(),
    }),
    metrics: z.object({
      valAccuracy: z.number().min(0).max(1).nullable(),
      valMcc: z.number().min(-1).max(1).nullable(),
      valLoss: z.number().min(0).nullable(),
    }),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .refine((manifest) => manifest.labels.includes(manifest.positiveLabel), {
    message: 'positiveLabel must be one of labels',
    path: ['positiveLabel'],
  });
export type ModelManifest = z.infer<typeof ModelManifestSchema>;
