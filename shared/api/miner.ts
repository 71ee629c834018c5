/** The Miner area's part of the contract: starting and stopping the miner, and its status live. */
import { command, NoInput, stream } from '../contract-spec.js';
import { MinerStatusSchema } from '../domain/miner.js';

export const minerCommands = {
  'miner.status': command({
    request: NoInput,
    response: MinerStatusSchema,
    summary: "The miner's current status.",
  }),
  'miner.start': command({
    request: NoInput,
    response: MinerStatusSchema,
    summary:
      'Load the hotkey and the model, open the axon, serve. Answers once serving or failed (state error, with the reason).',
  }),
  'miner.stop': command({
    request: NoInput,
    response: MinerStatusSchema,
    summary: 'Stop taking requests, finish those in flight, release the model.',
  }),
} as const;

export const minerStreams = {
  'miner.status': stream({
    params: NoInput,
    event: MinerStatusSchema,
    summary: 'The current status at once, then every change.',
  }),
} as const;
