import type { CannotJudgePolicy } from '../../shared/domain/settings.js';
import type { Logger } from '../log/log-service.js';
import type { ForwardContext, SynapseHandler } from './axon-server.js';
import { errorMessage } from '../../shared/errors.js';

export const IMAGE_SYNAPSE = 'ImageSynapse';

/**
 * The answer for an image the model cannot judge, by policy. -1 is no answer: the validator
 * gives that challenge nothing and keeps it out of its windows. 0.5 scores as "no roadwork" and
 * stays in the windows, right or wrong (see `answer-policy-cost.ts` for what each costs).
 */
export const CANNOT_JUDGE_ANSWER: Record<CannotJudgePolicy, number> = { abstain: -1, prior: 0.5 };

/**
 * Kept back from the request's deadline (itself short of the dendrite's timeout by the answer's
 * trip home) for answering: an image not judged by then is answered by policy, not late.
 */
export const JUDGE_MARGIN_MS = 50;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export type Classify = (image: Buffer, context: ForwardContext) => Promise<number>;

export interface ImageSynapseOptions {
  /** Read per request, so a change in Settings applies to the next one. */
  cannotJudge: () => CannotJudgePolicy;
}

/** The Settings' default: no answer costs less than a guess (see `answer-policy-cost.ts`). */
const ABSTAIN: ImageSynapseOptions = { cannotJudge: () => 'abstain' };

/**
 * StreetVision's ImageSynapse: `image` (base64 JPEG) in, `prediction` = P(roadwork) in [0, 1]
 * out. Bad input, a failed classification or one not finished in time never fails the request:
 * it is logged, answered with the policy's value, and marked `unjudged` in the record's details.
 */
export function imageSynapseHandler(
  classify: Classify,
  log: Logger,
  options: ImageSynapseOptions = ABSTAIN,
): SynapseHandler {
  return {
    name: IMAGE_SYNAPSE,
    requiredHashFieldStrings: () => [],
    async forward(synapse, context) {
      const unjudged = (why: string): Record<string, unknown> => {
        const policy = options.cannotJudge();
        const prediction = CANNOT_JUDGE_ANSWER[policy];
        log.error(`An image from ${context.caller.hotkey} ${why}; answered ${prediction} (${policy}).`);
        context.annotate({ unjudged: true });
        return { prediction };
      };
      const image = synapse.image;
      if (typeof image !== 'string' || image.length % 4 !== 0 || !BASE64.test(image))
        return unjudged('was not valid base64');
      let p: number | typeof TIMED_OUT;
      try {
        p = await beforeDeadline(classify(Buffer.from(image, 'base64'), context), context.deadline - JUDGE_MARGIN_MS);
      } catch (error) {
        return unjudged(`could not be classified (${errorMessage(error)})`);
      }
      if (p === TIMED_OUT) return unjudged('was not judged before its deadline');
      if (!Number.isFinite(p)) return unjudged(`was classified as ${p}`);
      return { prediction: Math.min(1, Math.max(0, p)) };
    },
  };
}

const TIMED_OUT = Symbol('timed out');

/** The work's result, or TIMED_OUT at `deadline` (epoch ms); the work itself runs on and is ignored. */
function beforeDeadline<T>(work: Promise<T>, deadline: number): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, deadline - Date.now()));
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
