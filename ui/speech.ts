/**
 * Read-aloud: the browser's Web Speech API when it has a Chinese voice, otherwise the daemon's
 * espeak-ng endpoint (POST /kiosk/speech → audio/wav; the counter evaluator passes its own,
 * POST /evaluator/speech with the counter's token). Only fixed prompts are spoken, never personal
 * data: screens build their prompts from fixed sentences, service and material names, ticket
 * numbers and counts — never a name or an ID, phone or amount shown on screen.
 */
import { post } from './api.ts';

/** The daemon's synthesiser refuses longer texts (kiosk/speech/speech-service.ts maxLength). */
export const SPEECH_MAX_CHARS = 200;

/** Fetches the WAV of `text` from a daemon. */
export type Synthesize = (text: string) => Promise<Blob>;

const kioskSynthesize: Synthesize = (text) => post<Blob>('/speech', { text }, { blob: true, timeoutMs: 10_000 });

let audio: HTMLAudioElement | null = null;
let audioUrl: string | null = null;
let generation = 0;

function zhVoice(): SpeechSynthesisVoice | null {
  if (typeof speechSynthesis === 'undefined') return null;
  return speechSynthesis.getVoices().find((v) => /^zh|cmn/i.test(v.lang)) ?? null;
}

export function stopSpeaking(): void {
  generation++;
  if (typeof speechSynthesis !== 'undefined') speechSynthesis.cancel();
  if (audio) {
    audio.pause();
    audio = null;
  }
  if (audioUrl) {
    URL.revokeObjectURL(audioUrl);
    audioUrl = null;
  }
}

/**
 * `text` with whitespace collapsed, cut to SPEECH_MAX_CHARS at the last sentence end that fits
 * (prompts put what to do first, lists last), so an overlong prompt is shortened, not refused.
 */
export function speechText(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= SPEECH_MAX_CHARS) return clean;
  const head = clean.slice(0, SPEECH_MAX_CHARS);
  const end = Math.max(...['。', '！', '？', '；'].map((p) => head.lastIndexOf(p)));
  return end > 0 ? head.slice(0, end + 1) : head;
}

/** Speaks `text`; resolves to the engine used ('browser' | 'daemon') or null when it could not. */
export async function speak(text: string, synthesize: Synthesize = kioskSynthesize): Promise<'browser' | 'daemon' | null> {
  stopSpeaking();
  const mine = generation;
  const clean = speechText(text);
  if (!clean) return null;
  const voice = zhVoice();
  if (voice) {
    const u = new SpeechSynthesisUtterance(clean);
    u.voice = voice;
    u.lang = voice.lang;
    u.rate = 0.9;
    speechSynthesis.speak(u);
    return 'browser';
  }
  try {
    const wav = await synthesize(clean);
    if (mine !== generation) return null;
    audioUrl = URL.createObjectURL(wav);
    audio = new Audio(audioUrl);
    await audio.play().catch(() => undefined);
    return 'daemon';
  } catch {
    return null;
  }
}

/** Reads 'A001' as 'A 0 0 1' so speech engines do not say "one". */
export function spellNo(no: string): string {
  return no.split('').join(' ');
}

/** `text` ending in sentence punctuation (a message joined to the next sentence of a prompt). */
export function sentence(text: string): string {
  const t = text.trim();
  return !t || /[。！？；]$/.test(t) ? t : `${t}。`;
}
