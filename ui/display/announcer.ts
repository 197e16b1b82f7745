/**
 * Call announcements (语音叫号). One at a time, in order: a new call waits until the one being
 * spoken has finished — it never cuts it off. Each is spoken twice after a short chime. Voices:
 * the browser's Web Speech API when it has a Chinese voice; otherwise, only when this display
 * runs on the kiosk machine itself, the daemon's espeak-ng (POST /api/v1/kiosk/speech answers
 * loopback only); otherwise nothing is spoken and the screen shows the text alone.
 */

export type Voice = 'browser' | 'daemon' | 'none';

const REPEAT = 2;
const GAP_MS = 700;
/** Announcements still waiting after this long are dropped: a call two minutes old is not news. */
const STALE_MS = 120_000;
const SPEECH_URL = '/api/v1/kiosk/speech';

interface Item {
  readonly text: string;
  readonly queuedAt: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function zhVoice(): SpeechSynthesisVoice | null {
  if (typeof speechSynthesis === 'undefined') return null;
  return speechSynthesis.getVoices().find((v) => /^(zh|cmn)/i.test(v.lang)) ?? null;
}

function onKioskMachine(): boolean {
  return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(location.hostname);
}

export class Announcer {
  readonly #queue: Item[] = [];
  readonly #enabled: boolean;
  readonly #onSpeaking: (text: string | null) => void;
  readonly #onBlocked: () => void;
  #busy = false;
  #daemonFailed = false;
  #audio: AudioContext | null = null;
  /** WAVs from the daemon by text: each announcement is fetched once and played twice. */
  readonly #wavs = new Map<string, string>();

  /** `enabled` false: a second display in the same hall shows calls silently (?speech=off). */
  constructor(enabled: boolean, onSpeaking: (text: string | null) => void, onBlocked: () => void = () => {}) {
    this.#enabled = enabled;
    this.#onSpeaking = onSpeaking;
    this.#onBlocked = onBlocked;
    // Chromium loads its voices asynchronously; asking once starts that.
    if (typeof speechSynthesis !== 'undefined') speechSynthesis.getVoices();
  }

  /** Which voice an announcement would use now. */
  get voice(): Voice {
    if (!this.#enabled) return 'none';
    if (zhVoice()) return 'browser';
    if (onKioskMachine() && !this.#daemonFailed) return 'daemon';
    return 'none';
  }

  /** Queues `text`; the same text already waiting is not queued twice (a recall right after its call). */
  announce(text: string): void {
    if (this.#queue.some((i) => i.text === text)) return;
    this.#queue.push({ text, queuedAt: Date.now() });
    void this.#drain();
  }

  get pending(): number {
    return this.#queue.length;
  }

  async #drain(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      for (let item = this.#queue.shift(); item; item = this.#queue.shift()) {
        if (Date.now() - item.queuedAt > STALE_MS) continue;
        this.#onSpeaking(item.text);
        const voice = this.voice;
        if (voice !== 'none') {
          await this.#chime();
          for (let i = 0; i < REPEAT; i++) {
            await (voice === 'browser' ? this.#browser(item.text) : this.#daemon(item.text));
            await sleep(GAP_MS);
          }
        } else {
          await sleep(GAP_MS); // text only: no pause needed beyond letting the screen settle
        }
      }
    } finally {
      this.#busy = false;
      this.#onSpeaking(null);
    }
  }

  /** Resolves when the utterance ended, failed, or clearly should have ended (Chromium can hang). */
  #browser(text: string): Promise<void> {
    const voice = zhVoice();
    if (!voice) return Promise.resolve();
    return new Promise((resolve) => {
      // A stuck engine (Chromium stops speaking after a while) is reset before a new utterance;
      // nothing of ours is speaking at this point, so this never cuts an announcement short.
      if (!speechSynthesis.speaking) speechSynthesis.cancel();
      speechSynthesis.resume();
      const u = new SpeechSynthesisUtterance(text);
      u.voice = voice;
      u.lang = voice.lang;
      u.rate = 0.85;
      const timer = setTimeout(done, 3_000 + text.length * 450);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      u.onend = done;
      u.onerror = (e) => {
        if (e.error === 'not-allowed') this.#onBlocked();
        done();
      };
      speechSynthesis.speak(u);
    });
  }

  async #daemon(text: string): Promise<void> {
    let url = this.#wavs.get(text);
    if (!url) {
      try {
        const res = await fetch(SPEECH_URL, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
        if (res.status === 401 || res.status === 403) this.#daemonFailed = true; // not the kiosk's own browser after all
        if (!res.ok) return;
        url = URL.createObjectURL(await res.blob());
      } catch {
        return;
      }
      // Only the latest announcements are ever replayed.
      const oldest = this.#wavs.size >= 2 ? this.#wavs.keys().next().value : undefined;
      if (oldest !== undefined) {
        URL.revokeObjectURL(this.#wavs.get(oldest)!);
        this.#wavs.delete(oldest);
      }
      this.#wavs.set(text, url);
    }
    const audio = new Audio(url);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 3_000 + text.length * 450);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      audio.onended = done;
      audio.onerror = done;
      audio.play().catch((err: unknown) => {
        if (err instanceof DOMException && err.name === 'NotAllowedError') this.#onBlocked();
        done();
      });
    });
  }

  /** A short two-tone chime before each announcement; silent where audio is not allowed. */
  async #chime(): Promise<void> {
    try {
      this.#audio ??= new AudioContext();
      const ctx = this.#audio;
      if (ctx.state === 'suspended') await Promise.race([ctx.resume(), sleep(200)]);
      if (ctx.state !== 'running') return;
      const tone = (freq: number, start: number) => {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, ctx.currentTime + start);
        gain.gain.exponentialRampToValueAtTime(0.4, ctx.currentTime + start + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + start + 0.6);
        osc.connect(gain).connect(ctx.destination);
        osc.start(ctx.currentTime + start);
        osc.stop(ctx.currentTime + start + 0.65);
      };
      tone(784, 0);
      tone(659, 0.35);
      await sleep(1_000);
    } catch {
      /* no audio device */
    }
  }
}
