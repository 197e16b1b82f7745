import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { speak, stopSpeaking } from '../speech.ts';

/**
 * Read-aloud and 长辈模式. `prompt` is what 朗读 reads for the current screen; in 长辈模式
 * (larger text: html.elder) prompts are also read on arrival and after each step. The engine
 * (browser voice or the daemon's espeak-ng) is ui/speech.ts. Only fixed prompts are spoken,
 * never personal data.
 */
export class SpeechController implements ReactiveController {
  prompt = '';
  #elder = false;
  #host: ReactiveControllerHost;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  get elder(): boolean {
    return this.#elder;
  }

  set elder(on: boolean) {
    if (on === this.#elder) return;
    this.#elder = on;
    document.documentElement.classList.toggle('elder', on);
    this.#host.requestUpdate();
  }

  /** The 长辈模式 button. */
  toggleElder(): void {
    this.elder = !this.#elder;
    if (this.#elder) this.say(`已进入长辈模式，字体已放大。${this.prompt}`);
    else this.stop();
  }

  say(text: string): void {
    void speak(text);
  }

  /** Speaks only in 长辈模式. */
  sayInElder(text: string): void {
    if (this.#elder) this.say(text);
  }

  stop(): void {
    stopSpeaking();
  }

  hostDisconnected(): void {
    stopSpeaking();
  }
}
