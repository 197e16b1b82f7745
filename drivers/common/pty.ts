import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A pair of linked pseudo-terminals made by `socat`: bytes written to one end are read at
 * the other, and serialport opens either end exactly like a real /dev/ttyUSB port.
 * The driver opens `hostPath`; the device simulator opens `devicePath`.
 *
 * Closing the pair removes both links, which the driver sees as the device being unplugged;
 * opening a new pair on the same paths is the device being plugged back in.
 */
export interface PtyPair {
  readonly hostPath: string;
  readonly devicePath: string;
  close(): Promise<void>;
}

export interface PtyPairOptions {
  /** Link path the driver opens; a fresh temporary path when omitted. */
  hostPath?: string;
  /** Link path the simulator opens; a fresh temporary path when omitted. */
  devicePath?: string;
  /** How long to wait for socat to create both links. */
  timeoutMs?: number;
}

export async function openPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  const dir = options.hostPath && options.devicePath ? '' : mkdtempSync(join(tmpdir(), 'kiosk-pty-'));
  const hostPath = options.hostPath ?? join(dir, 'host');
  const devicePath = options.devicePath ?? join(dir, 'device');
  const timeoutMs = options.timeoutMs ?? 5_000;
  // A replug reuses the paths of a pair whose temporary folder was removed when it closed.
  mkdirSync(dirname(hostPath), { recursive: true });
  mkdirSync(dirname(devicePath), { recursive: true });

  const child = spawn(
    'socat',
    [`pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${devicePath}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const spawnError = new Promise<never>((_, reject) => {
    child.once('error', (err) =>
      reject(new Error(`cannot start socat (install it: apt-get install socat): ${err.message}`)),
    );
  });

  const deadline = Date.now() + timeoutMs;
  const ready = (async () => {
    while (!(existsSync(hostPath) && existsSync(devicePath))) {
      if (child.exitCode !== null) throw new Error(`socat exited with ${child.exitCode}: ${stderr.trim()}`);
      if (Date.now() > deadline) throw new Error(`socat did not create ${hostPath} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  try {
    await Promise.race([ready, spawnError]);
  } catch (err) {
    child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    hostPath,
    devicePath,
    close: async () => {
      await stopChild(child);
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
