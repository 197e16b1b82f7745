import { spawn } from 'node:child_process';
import { KioskError } from '../errors.ts';

/**
 * 语音播报: Mandarin WAV from espeak-ng (`espeak-ng -v cmn`) for browsers without a Chinese voice.
 *
 * The text is untrusted (it comes from the citizen UI's request body), so:
 * - it is written to the process's stdin (`--stdin`), never put on the command line, so a text
 *   such as `-f/etc/hostname` is spoken literally and can never become an option;
 * - control characters (NUL included) are refused with REQUEST_INVALID, and the length is bounded;
 * - at most `maxConcurrent` syntheses run at once, at most `maxQueued` wait; beyond that the call
 *   is refused at once (503) instead of forking without bound; a synthesis that runs longer than
 *   `timeoutMs` is killed.
 */
export interface SpeechOptions {
  /** The synthesiser; tests substitute a stand-in. */
  readonly command?: string;
  /** Arguments before the text arrives on stdin. */
  readonly args?: readonly string[];
  readonly maxConcurrent?: number;
  readonly maxQueued?: number;
  readonly maxLength?: number;
  readonly timeoutMs?: number;
}

const DEFAULTS = {
  command: 'espeak-ng',
  args: ['-v', 'cmn', '-s', '150', '--stdout', '--stdin'],
  maxConcurrent: 2,
  maxQueued: 4,
  maxLength: 200,
  timeoutMs: 10_000,
} as const;

// C0 and C1 control characters and DEL; ordinary spaces are fine, line breaks are not needed.

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const unavailable = () => new KioskError('SPEECH_UNAVAILABLE', { tool: 'espeak-ng' });

export class SpeechService {
  readonly #options: Required<SpeechOptions>;
  #running = 0;
  #waiting: (() => void)[] = [];
  #peak = 0;

  constructor(options: SpeechOptions = {}) {
    this.#options = { ...DEFAULTS, ...options };
  }

  /** Syntheses running now, and the most that ever ran at once (for tests and diagnostics). */
  get stats(): { running: number; waiting: number; peak: number } {
    return { running: this.#running, waiting: this.#waiting.length, peak: this.#peak };
  }

  /** Refuses text the synthesiser must not receive; returns it trimmed. */
  check(text: string): string {
    if (CONTROL.test(text)) throw new KioskError('REQUEST_INVALID', { field: 'text' }, '播报内容含有不允许的控制字符');
    const trimmed = text.trim();
    if (trimmed.length === 0) throw new KioskError('REQUEST_INVALID', { field: 'text' }, '播报内容为空');
    if ([...trimmed].length > this.#options.maxLength) {
      throw new KioskError('REQUEST_INVALID', { field: 'text', maxLength: this.#options.maxLength }, '播报内容过长');
    }
    return trimmed;
  }

  /** WAV bytes of `text` spoken in Mandarin. */
  async synthesize(text: string): Promise<Buffer> {
    const clean = this.check(text);
    await this.#slot();
    try {
      return await this.#run(clean);
    } finally {
      this.#release();
    }
  }

  #slot(): Promise<void> {
    if (this.#running < this.#options.maxConcurrent) {
      this.#take();
      return Promise.resolve();
    }
    if (this.#waiting.length >= this.#options.maxQueued) {
      return Promise.reject(new KioskError('SPEECH_UNAVAILABLE', { tool: 'espeak-ng', reason: 'busy' }, '语音播报繁忙，请稍后再试'));
    }
    return new Promise((resolve) => this.#waiting.push(() => (this.#take(), resolve())));
  }

  #take(): void {
    this.#running++;
    this.#peak = Math.max(this.#peak, this.#running);
  }

  #release(): void {
    this.#running--;
    this.#waiting.shift()?.();
  }

  #run(text: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.#options.command, [...this.#options.args], { stdio: ['pipe', 'pipe', 'ignore'] });
      const chunks: Buffer[] = [];
      const timer = setTimeout(() => child.kill('SIGKILL'), this.#options.timeoutMs);
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.stdin.on('error', () => undefined); // the child may exit before reading everything
      child.on('error', () => {
        clearTimeout(timer);
        reject(unavailable());
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(Buffer.concat(chunks));
        else reject(unavailable());
      });
      child.stdin.end(text, 'utf8');
    });
  }
}
