import type { Logger } from '../log/log-service.js';
import type { ForwardContext, SynapseHandler } from './axon-server.js';

export const IMAGE_SYNAPSE = 'ImageSynapse';

/** The answer when an image cannot be judged: a -1 is a certain zero reward, a guess is not. */
export const PRIOR_PREDICTION = 0.5;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export type Classify = (image: Buffer, context: ForwardContext) => Promise<number>;

/**
 * StreetVision's ImageSynapse: `image` (base64 JPEG) in, `prediction` = P(roadwork) in [0, 1]
 * out. Bad input never fails the request: it is logged and answered with the prior.
 */
export function imageSynapseHandler(classify: Classify, log: Logger): SynapseHandler {
  return {
    name: IMAGE_SYNAPSE,
    requiredHashFieldStrings: () => [],
    async forward(synapse, context) {
      const image = synapse.image;
      if (typeof image !== 'string' || image.length % 4 !== 0 || !BASE64.test(image)) {
        log.error(`A request from ${context.caller.hotkey} carried no valid base64 image; answered with the prior.`);
        return { prediction: PRIOR_PREDICTION };
      }
      try {
        const p = await classify(Buffer.from(image, 'base64'), context);
        return { prediction: Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : PRIOR_PREDICTION };
      } catch (error) {
        log.error(
          `An image from ${context.caller.hotkey} could not be classified (${error instanceof Error ? error.message : String(error)}); answered with the prior.`,
        );
        return { prediction: PRIOR_PREDICTION };
      }
    },
  };
}
