/**
 * Read-aloud: the browser's Web Speech API when it has a Chinese voice, otherwise the daemon's
 * espeak-ng endpoint (POST /kiosk/speech → audio/wav). Only fixed prompts are spoken, never
 * personal data.
 */
import { post } from './api.ts';

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

/** Speaks `text`; resolves to the engine used ('browser' | 'daemon') or null when it could not. */
export async function speak(text: string): Promise<'browser' | 'daemon' | null> {
  stopSpeaking();
  const mine = generation;
  const clean = text.replace(/\s+/g, ' ').trim();
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
    const wav = await post<Blob>('/speech', { text: clean }, { blob: true, timeoutMs: 10_000 });
    if (mine !== generation) return null;
    audioUrl = URL.createObjectURL(wav);
    audio = new Audio(audioUrl);
    await audio.play().catch(() => undefined);
    return 'daemon';
  } catch {
    return null;
  }
}
