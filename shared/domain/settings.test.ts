import { describe, expect, it } from 'vitest';
import { applySettingsPatch, DEFAULT_SETTINGS, SettingsPatchSchema, SettingsSchema } from './settings.js';

describe('settings schema', () => {
  it('accepts the defaults: the local subnet on netuid 72, axon on 8091', () => {
    expect(SettingsSchema.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS.chain).toMatchObject({ network: 'local', netuid: 72 });
    expect(DEFAULT_SETTINGS.axon.port).toBe(8091);
    // A miner that was serving serves again after a restart, unless the operator says otherwise.
    expect(DEFAULT_SETTINGS.mining.resumeOnStart).toBe(true);
  });

  it('refuses a custom network without an endpoint, naming the field', () => {
    const result = SettingsSchema.safeParse(applySettingsPatch(DEFAULT_SETTINGS, { chain: { network: 'custom' } }));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['chain', 'endpoint']);
  });

  it('refuses unknown keys in a patch instead of dropping them', () => {
    expect(SettingsPatchSchema.safeParse({ axon: { prot: 9000 } }).success).toBe(false);
    expect(SettingsPatchSchema.safeParse({ axn: { port: 9000 } }).success).toBe(false);
  });

  it('refuses wallet names that would climb out of the wallets folder', () => {
    for (const name of ['..', '../other', 'a/b', '']) {
      expect(SettingsPatchSchema.safeParse({ wallet: { name } }).success, name).toBe(false);
    }
  });

  it('refuses ports and IPs that no axon can serve on', () => {
    expect(SettingsPatchSchema.safeParse({ axon: { port: 0 } }).success).toBe(false);
    expect(SettingsPatchSchema.safeParse({ axon: { port: 70000 } }).success).toBe(false);
    expect(SettingsPatchSchema.safeParse({ axon: { externalIp: '256.1.1.1' } }).success).toBe(false);
    expect(SettingsPatchSchema.safeParse({ axon: { externalIp: '203.0.113.7' } }).success).toBe(true);
  });

  it('applies a patch section by section, leaving the rest alone', () => {
    const next = applySettingsPatch(DEFAULT_SETTINGS, { axon: { port: 9001 } });
    expect(next.axon).toEqual({ ...DEFAULT_SETTINGS.axon, port: 9001 });
    expect(next.chain).toEqual(DEFAULT_SETTINGS.chain);
  });
});
