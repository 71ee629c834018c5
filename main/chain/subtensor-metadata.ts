/**
 * Subtensor's type registry from its metadata: what decodes (and, in the tests' stand-in,
 * encodes) runtime-API results through the chain's own definitions, never hand-written layouts.
 */
import { Metadata, TypeRegistry } from '@polkadot/types';
import { compactFromU8a, hexToU8a } from '@polkadot/util';

/** The chain's custom signed extensions: undeclared, polkadot-js drops their bytes when signing. */
export const SUBTENSOR_SIGNED_EXTENSIONS = {
  ChargeTransactionPaymentWrapper: { extrinsic: { tip: 'Compact<Balance>' }, payload: {} },
  SudoTransactionExtension: { extrinsic: {}, payload: {} },
  CheckShieldedTxValidity: { extrinsic: {}, payload: {} },
  SubtensorTransactionExtension: { extrinsic: {}, payload: {} },
  DrandPriority: { extrinsic: {}, payload: {} },
} as const;

/** The answer of `Metadata_metadata_at_version(15)`: Option (one byte), a compact length, the metadata. */
export function metadataFromVersionedCall(hex: string): Uint8Array {
  const raw = hexToU8a(hex.trim());
  if (raw[0] !== 1) throw new Error('the node has no metadata at that version');
  const [offset] = compactFromU8a(raw.subarray(1));
  return raw.subarray(1 + offset);
}

export function subtensorRegistry(metadataBytes: Uint8Array): TypeRegistry {
  const registry = new TypeRegistry();
  // With the chain's own extensions declared: setMetadata would otherwise reset them.
  registry.setMetadata(new Metadata(registry, metadataBytes), undefined, SUBTENSOR_SIGNED_EXTENSIONS);
  return registry;
}
