import { afterAll, beforeAll } from 'vitest';
import { SshClient } from '../main/remote/ssh-client.js';
import { startSshd, type SshdFixture } from './sshd-fixture.js';

/** One real sshd for a test file, and a client that trusts its host key. */
export interface SshSuite {
  sshd: SshdFixture;
  client: SshClient;
}

/** Starts the sshd before the file's tests and stops it after them; read the fields inside a test. */
export function useSshd(): SshSuite {
  const suite = {} as SshSuite;
  beforeAll(async () => {
    suite.sshd = await startSshd();
    suite.client = new SshClient({ knownHostsPath: suite.sshd.knownHostsPath });
  });
  afterAll(() => suite.sshd?.stop());
  return suite;
}
