/** The only IPC channels between the console's window and its back end. */
export const IPC_CHANNELS = {
  invoke: 'operator:invoke',
  subscribe: 'operator:subscribe',
  unsubscribe: 'operator:unsubscribe',
  /** Main → renderer: event batches and stream errors. */
  events: 'operator:events',
} as const;
