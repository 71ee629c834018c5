import { Keyring } from '@polkadot/keyring';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDendriteRequest } from './dendrite.js';
import { ALLOWED_DELTA_NS, NonceGuard } from './nonce-guard.js';
import { signaturesReady, verifyHotkeySignature } from './signature.js';
import {
  bodyHash,
  parseDendriteHeaders,
  parseSynapseJson,
  signedMessage,
  stringifySynapseJson,
  synapseRoute,
  WireError,
} from './wire.js';

let keyring: Keyring;
beforeAll(async () => {
  await signaturesReady();
  keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
});

const NONCE = 1_764_050_000_123_456_789n; // nanoseconds, far above 2^53

describe('the axon wire format', () => {
  it('ImageSynapse has no required hash fields, so its body hash is sha3-256 of ""', () => {
    expect(bodyHash([])).toBe('a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a');
  });

  it('keeps a nanosecond nonce exact through the body, both ways', () => {
    const text = stringifySynapseJson({ dendrite: { nonce: NONCE }, axon: { nonce: null }, prediction: -1.0 });
    expect(text).toContain(`"nonce":${NONCE}`);
    const parsed = parseSynapseJson(text) as { dendrite: { nonce: bigint } };
    expect(parsed.dendrite.nonce).toBe(NONCE);
    // What a plain JSON.parse would have done to it:
    expect(BigInt((JSON.parse(text) as { dendrite: { nonce: number } }).dendrite.nonce)).not.toBe(NONCE);
  });

  it('refuses a body that is not a JSON object with a 400', () => {
    for (const text of ['{not json', '[1,2]', '"image"', 'null']) {
      expect(() => parseSynapseJson(text), text).toThrow(WireError);
    }
  });

  it('reads the headers a Python dendrite sends, and refuses malformed ones', () => {
    const alice = keyring.addFromUri('//Alice');
    const request = buildDendriteRequest(
      alice,
      { ip: '127.0.0.1', port: 8091, hotkey: alice.address },
      {
        synapseName: 'ImageSynapse',
        fields: { image: 'aGk=', prediction: -1, testnet_label: -1 },
        nonce: NONCE,
      },
    );
    const headers = parseDendriteHeaders(request.headers);
    expect(headers).toMatchObject({
      name: 'ImageSynapse',
      timeoutS: 9,
      dendrite: { hotkey: alice.address, nonce: NONCE },
    });
    expect(headers.computedBodyHash).toBe(bodyHash([]));
    expect(() => parseDendriteHeaders({ ...request.headers, timeout: 'soon' })).toThrow(/timeout/);
    expect(() => parseDendriteHeaders({ ...request.headers, bt_header_dendrite_nonce: '12e9' })).toThrow(/nonce/);
  });

  it('reads the synapse a request names from any request-target, without throwing', () => {
    expect(synapseRoute('/ImageSynapse')).toBe('ImageSynapse');
    expect(synapseRoute('/ImageSynapse?x=1')).toBe('ImageSynapse');
    expect(synapseRoute('http://axon:8091/ImageSynapse')).toBe('ImageSynapse');
    expect(synapseRoute('//')).toBe('');
    expect(synapseRoute('//ImageSynapse')).toBe('');
    expect(synapseRoute('/\\')).toBe('\\');
    expect(synapseRoute('http://[')).toBeNull();
    expect(synapseRoute('*')).toBeNull();
  });
});

describe('signatures', () => {
  it("verifies the dendrite's signature over nonce.dendrite.axon.uuid.body_hash", () => {
    const validator = keyring.addFromUri('//Alice');
    const miner = keyring.addFromUri('//Ferdie');
    const request = buildDendriteRequest(
      validator,
      { ip: '127.0.0.1', port: 8091, hotkey: miner.address },
      {
        synapseName: 'ImageSynapse',
        fields: { image: '' },
      },
    );
    const message = signedMessage({
      nonce: request.signed.nonce,
      dendriteHotkey: validator.address,
      axonHotkey: miner.address,
      uuid: request.signed.uuid,
      bodyHash: request.signed.bodyHash,
    });
    expect(request.signed.signature).toMatch(/^0x[0-9a-f]{128}$/);
    expect(verifyHotkeySignature(message, request.signed.signature, validator.address)).toBe(true);
    // Signed for another axon, by another key, or not at all: refused.
    expect(
      verifyHotkeySignature(
        message.replace(miner.address, validator.address),
        request.signed.signature,
        validator.address,
      ),
    ).toBe(false);
    expect(verifyHotkeySignature(message, request.signed.signature, miner.address)).toBe(false);
    expect(verifyHotkeySignature(message, '', validator.address)).toBe(false);
    expect(verifyHotkeySignature(message, '0x00', validator.address)).toBe(false);
    expect(verifyHotkeySignature(message, request.signed.signature, 'not-an-address')).toBe(false);
  });
});

describe('nonce guard', () => {
  const now = 2_000_000_000_000_000_000n;

  it('accepts a fresh first nonce and refuses a stale one', () => {
    const guard = new NonceGuard();
    expect(guard.check('v:u', now - 1_000_000_000n, 9, now)).toEqual({ ok: true });
    expect(guard.check('v:u', now - ALLOWED_DELTA_NS - 10_000_000_000n, 9, now).ok).toBe(false);
  });

  it('refuses a replayed or older nonce once one was accepted, per hotkey and uuid', () => {
    const guard = new NonceGuard();
    guard.accept('v:u', now);
    expect(guard.check('v:u', now, 9, now).ok).toBe(false);
    expect(guard.check('v:u', now - 1n, 9, now).ok).toBe(false);
    expect(guard.check('v:u', now + 1n, 9, now).ok).toBe(true);
    expect(guard.check('v:other-uuid', now, 9, now).ok).toBe(true);
  });

  it('forgets the least recently used dendrites instead of growing forever', () => {
    const guard = new NonceGuard(3);
    for (const key of ['a', 'b', 'c']) guard.accept(key, now);
    guard.accept('a', now + 1n);
    guard.accept('d', now);
    expect(guard.size).toBe(3);
    // 'b' was the least recently used and is forgotten; 'a' was refreshed and is kept.
    expect(guard.check('a', now + 1n, 9, now).ok).toBe(false);
    expect(guard.check('b', now, 9, now).ok).toBe(true);
  });
});
