import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canMountTmpfs } from '../../tests/sshd-fixture.js';
import { useSshd } from '../../tests/ssh-suite.js';
import { useTempDirs } from '../../tests/temp-dir.js';
import { pullFile, pushFolder } from './file-sync.js';

const tempDir = useTempDirs();
const ssh = useSshd();

const LONG = `${'deep/'.repeat(25)}and-a-file-name-that-alone-is-longer-than-a-hundred-characters-${'x'.repeat(60)}.txt`;
const FILES: Record<string, Buffer> = {
  'manifest.jsonl': Buffer.from('{"file":"roadwork/1.jpg","label":1}\n'),
  'roadwork/1.jpg': randomBytes(200_000),
  'none/2.jpg': randomBytes(512), // exactly one tar block: no padding
  'données/é ü.txt': Buffer.from('unicode names survive\n'),
  'empty.txt': Buffer.alloc(0),
  [LONG]: Buffer.from('long paths survive\n'),
};

async function writeTree(root: string, files: Record<string, Buffer>): Promise<void> {
  for (const [path, contents] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), contents);
  }
}

const total = (files: Record<string, Buffer>) => Object.values(files).reduce((sum, b) => sum + b.length, 0);

describe('pushFolder', () => {
  it('sends everything first, nothing the second time, and then only what changed', async () => {
    const local = await tempDir();
    await writeTree(local, FILES);
    await writeFile(join(local, 'run.sh'), '#!/bin/sh\necho hi\n');
    await chmod(join(local, 'run.sh'), 0o755);
    const remote = join(ssh.sshd.dir, 'work', 'datasets', 'first');
    const fileCount = Object.keys(FILES).length + 1;

    const first = await pushFolder(ssh.client, ssh.sshd.host, local, remote);
    expect(first).toMatchObject({ filesSent: fileCount, bytesSent: total(FILES) + 18, filesUnchanged: 0 });
    expect(first.archiveBytes).toBeGreaterThan(first.bytesSent);
    for (const [path, contents] of Object.entries(FILES)) {
      expect((await readFile(join(remote, path))).equals(contents), path).toBe(true);
    }
    expect((await stat(join(remote, 'run.sh'))).mode & 0o111).not.toBe(0);

    const second = await pushFolder(ssh.client, ssh.sshd.host, local, remote);
    expect(second).toEqual({ filesSent: 0, bytesSent: 0, archiveBytes: 0, filesUnchanged: fileCount, filesDeleted: 0 });

    // Same size, new content: only the hash can tell, and only that file goes.
    const changed = Buffer.from('{"file":"roadwork/1.jpg","label":0}\n');
    await writeFile(join(local, 'manifest.jsonl'), changed);
    const third = await pushFolder(ssh.client, ssh.sshd.host, local, remote);
    expect(third).toMatchObject({ filesSent: 1, bytesSent: changed.length, filesUnchanged: fileCount - 1 });
    expect(await readFile(join(remote, 'manifest.jsonl'), 'utf8')).toBe(changed.toString());
  });

  it('deletes remote files missing locally only when asked', async () => {
    const local = await tempDir();
    await writeTree(local, { 'keep.txt': Buffer.from('keep\n') });
    const remote = join(ssh.sshd.dir, 'work', 'datasets', 'extraneous');
    await writeTree(remote, { 'old/stale.txt': Buffer.from('stale\n') });

    const kept = await pushFolder(ssh.client, ssh.sshd.host, local, remote);
    expect(kept).toMatchObject({ filesSent: 1, filesDeleted: 0 });
    expect(await readFile(join(remote, 'old/stale.txt'), 'utf8')).toBe('stale\n');

    const pruned = await pushFolder(ssh.client, ssh.sshd.host, local, remote, { deleteExtraneous: true });
    expect(pruned).toMatchObject({ filesSent: 0, filesDeleted: 1 });
    await expect(stat(join(remote, 'old/stale.txt'))).rejects.toThrow(/ENOENT/);
    expect(await readFile(join(remote, 'keep.txt'), 'utf8')).toBe('keep\n');
  });

  it("Python's bytecode caches never travel, and the box's own are neither compared nor pruned", async () => {
    const local = await tempDir();
    await writeTree(local, {
      'train.py': Buffer.from('print(1)\n'),
      '__pycache__/train.cpython-311.pyc': randomBytes(64),
    });
    const remote = join(ssh.sshd.dir, 'work', 'trainer-cache');
    const first = await pushFolder(ssh.client, ssh.sshd.host, local, remote);
    expect(first).toMatchObject({ filesSent: 1 });
    await expect(stat(join(remote, '__pycache__'))).rejects.toThrow(/ENOENT/);

    // The box's Python writes its own cache; a pruning push leaves it alone and sends nothing.
    await writeTree(remote, { '__pycache__/train.cpython-313.pyc': randomBytes(64) });
    const second = await pushFolder(ssh.client, ssh.sshd.host, local, remote, { deleteExtraneous: true });
    expect(second).toMatchObject({ filesSent: 0, filesDeleted: 0, filesUnchanged: 1 });
    expect((await stat(join(remote, '__pycache__', 'train.cpython-313.pyc'))).isFile()).toBe(true);
  });

  it('a target under a path nobody can create folders in gives a clear error', async () => {
    const local = await tempDir();
    await writeTree(local, { 'a.txt': Buffer.from('a\n') });
    await expect(pushFolder(ssh.client, ssh.sshd.host, local, '/proc/streetvision-test/datasets')).rejects.toThrow(
      /^Could not create the folder \/proc\/streetvision-test\/datasets on root@127\.0\.0\.1:\d+ \(mkdir: cannot create directory/,
    );
  });

  it('a file standing where the target folder should be gives a clear error', async () => {
    const local = await tempDir();
    await writeTree(local, { 'a.txt': Buffer.from('a\n') });
    const blocker = join(ssh.sshd.dir, 'work', 'a-file');
    await writeTree(dirname(blocker), { 'a-file': Buffer.from('in the way\n') });
    await expect(pushFolder(ssh.client, ssh.sshd.host, local, join(blocker, 'datasets'))).rejects.toThrow(
      /^A file stands where a folder of .*a-file\/datasets on .* should be/,
    );
  });

  it.skipIf(!canMountTmpfs())('a full remote disk gives a clear error', async () => {
    const local = await tempDir();
    await writeTree(local, { 'big.bin': randomBytes(512 * 1024) });
    const small = join(ssh.sshd.dir, 'small-disk');
    await mkdir(small);
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', small]).status).toBe(0);
    try {
      await expect(pushFolder(ssh.client, ssh.sshd.host, local, join(small, 'datasets'))).rejects.toThrow(
        /^The remote disk is full: could not write into .*small-disk\/datasets on .* \(tar: /,
      );
    } finally {
      spawnSync('umount', [small]);
    }
  });
});

describe('pullFile', () => {
  it('fetches a remote file whole, replacing the local copy', async () => {
    const remote = join(ssh.sshd.dir, 'work', 'runs', 'r1', 'model.onnx');
    const contents = randomBytes(300_000);
    await writeTree(dirname(remote), { 'model.onnx': contents });
    const local = join(await tempDir(), 'models', 'model.onnx');
    await writeTree(dirname(local), { 'model.onnx': Buffer.from('old model') });

    expect(await pullFile(ssh.client, ssh.sshd.host, remote, local)).toEqual({ bytes: contents.length });
    expect((await readFile(local)).equals(contents)).toBe(true);
  });

  it('a remote file that is not there is named, and nothing is left behind locally', async () => {
    const folder = await tempDir();
    await expect(
      pullFile(ssh.client, ssh.sshd.host, '/nonexistent/model.onnx', join(folder, 'model.onnx')),
    ).rejects.toThrow(/^\/nonexistent\/model\.onnx does not exist on root@127\.0\.0\.1:\d+/);
    expect(spawnSync('ls', ['-A', folder], { encoding: 'utf8' }).stdout).toBe('');
  });
});
