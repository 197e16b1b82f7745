import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * `<dataDir>/daemon.pid`: lets `hall-kiosk restore` refuse to swap the database under a running
 * daemon. A stale file (the daemon was killed) is recognised because its process is gone.
 */
export function pidFilePath(dataDir: string): string {
  return join(resolve(dataDir), 'daemon.pid');
}

export function writePidFile(dataDir: string): string {
  const file = pidFilePath(dataDir);
  mkdirSync(resolve(dataDir), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${process.pid}\n`, { mode: 0o600 });
  return file;
}

export function removePidFile(file: string): void {
  try {
    if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
  } catch {
    // already gone
  }
}

/** PID of a running daemon using this data directory, or null. */
export function runningDaemon(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFilePath(dataDir), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}
