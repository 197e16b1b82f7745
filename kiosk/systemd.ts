import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * systemd's notification protocol (sd_notify(3)) without a native module.
 *
 * Node cannot open AF_UNIX datagram sockets (`node:dgram` is UDP only, `node:net` stream only).
 * So the unit starts the daemon through `hall-kiosk-exec` (config/debian/hall-kiosk-exec, a few
 * lines of python3 stdlib): it connects a datagram socket to $NOTIFY_SOCKET, leaves it open on a
 * file descriptor and `exec`s node, passing the number in KIOSK_NOTIFY_FD. Node then sends each
 * message with one write(2) on that descriptor: no child process, the sender is the main PID
 * (NotifyAccess=main works), and a message is sent only when the event loop runs — so when the
 * loop hangs, the watchdog pings stop and systemd restarts the daemon.
 *
 * When node is started directly under a notify unit (NOTIFY_SOCKET but no descriptor), the same
 * script runs as a long-lived relay child reading messages from a pipe; the pings still come from
 * the main event loop.
 */
export interface Notifier {
  readonly mode: 'fd' | 'relay';
  send(message: string): void;
  /** READY=1 and a status line; starts the watchdog pings if systemd asked for them. */
  ready(status: string): void;
  stopping(): void;
  close(): void;
  /** Interval of the watchdog pings in ms, or null without WatchdogSec. */
  readonly watchdogMs: number | null;
}

export const NOTIFY_EXEC_SCRIPT = fileURLToPath(new URL('../config/debian/hall-kiosk-exec', import.meta.url));

export function systemdNotifier(env: Record<string, string | undefined> = process.env, onError: (message: string) => void = () => {}): Notifier | null {
  let sendRaw: ((message: string) => void) | null = null;
  let child: ChildProcess | null = null;
  let mode: Notifier['mode'];
  const fdText = env.KIOSK_NOTIFY_FD;
  if (fdText && /^\d+$/.test(fdText)) {
    const fd = Number(fdText);
    mode = 'fd';
    sendRaw = (message) => {
      try {
        writeSync(fd, Buffer.from(message));
      } catch (err) {
        // EAGAIN (systemd not reading) or the manager went away: drop this message, keep serving.
        onError(`sd_notify: ${(err as Error).message}`);
      }
    };
  } else if (env.NOTIFY_SOCKET) {
    if (!existsSync(NOTIFY_EXEC_SCRIPT)) {
      onError(`NOTIFY_SOCKET is set but ${NOTIFY_EXEC_SCRIPT} is missing: systemd will not hear READY=1`);
      return null;
    }
    mode = 'relay';
    child = spawn('python3', [NOTIFY_EXEC_SCRIPT, '--relay'], { stdio: ['pipe', 'ignore', 'inherit'], env: { ...process.env, ...env } });
    child.on('error', (err) => onError(`sd_notify relay: ${err.message}`));
    child.stdin!.on('error', () => {});
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    sendRaw = (message) => {
      // One message per line; a newline inside a message is sent escaped.
      child?.stdin?.write(`${message.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n`);
    };
  } else {
    return null;
  }

  const usec = Number(env.WATCHDOG_USEC ?? '');
  const pidOk = !env.WATCHDOG_PID || Number(env.WATCHDOG_PID) === process.pid;
  const watchdogMs = Number.isFinite(usec) && usec > 0 && pidOk ? Math.max(50, Math.floor(usec / 1000 / 2)) : null;
  let timer: NodeJS.Timeout | null = null;
  const send = (message: string) => sendRaw?.(message);
  return {
    mode,
    watchdogMs,
    send,
    ready(status) {
      send(`READY=1\nSTATUS=${status}\nMAINPID=${process.pid}`);
      if (watchdogMs !== null && !timer) {
        // The pings are timers of the main event loop: a blocked loop sends none.
        timer = setInterval(() => send('WATCHDOG=1'), watchdogMs);
        timer.unref();
      }
    },
    stopping() {
      send('STOPPING=1');
    },
    close() {
      if (timer) clearInterval(timer);
      timer = null;
      child?.stdin?.end();
      child = null;
    },
  };
}
