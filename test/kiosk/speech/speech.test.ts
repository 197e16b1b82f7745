import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpeechService } from '../../../kiosk/speech/speech-service.ts';
import { makeServer } from '../../helpers/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'kiosk-speech-'));
const DEVICES_OFF = { devices: { idcard: { mode: 'off' }, scanner: { mode: 'off' }, printer: { mode: 'off' }, dispenser: { mode: 'off' } } };

describe('speech (kiosk/speech/speech-service.ts)', () => {
  it('gives the text to the synthesiser on stdin, never as an argument', async () => {
    const out = join(dir, 'stdin.txt');
    // A stand-in synthesiser that records its arguments and what it read on stdin.
    const speech = new SpeechService({ command: 'sh', args: ['-c', 'printf "%s\\n" "$@" > "$0.args"; cat > "$0"; printf RIFF', out] });
    const wav = await speech.synthesize('-f/etc/hostname');
    expect(wav.toString()).toBe('RIFF');
    expect(readFileSync(out, 'utf8')).toBe('-f/etc/hostname');
    expect(readFileSync(`${out}.args`, 'utf8')).not.toContain('hostname');
  });

  it('with espeak-ng, speaks "-f<file>" literally and never reads the file', async () => {
    const file = join(dir, 'secret.txt');
    writeFileSync(file, '绝密内容');
    const speech = new SpeechService();
    const spoken = await speech.synthesize(`-f${file}`);
    const fileRead = execFileSync('espeak-ng', ['-v', 'cmn', '-s', '150', '--stdout', '-f', file]);
    const literal = execFileSync('espeak-ng', ['-v', 'cmn', '-s', '150', '--stdout', '--stdin'], { input: `-f${file}` });
    expect(spoken.subarray(0, 4).toString()).toBe('RIFF');
    expect(spoken.equals(fileRead)).toBe(false);
    expect(spoken.equals(literal)).toBe(true);
  });

  it('refuses control characters and over-long text before starting any process', async () => {
    const speech = new SpeechService({ command: '/nonexistent/should-not-run', maxLength: 10 });
    await expect(speech.synthesize('你好\u0000')).rejects.toMatchObject({ code: 'REQUEST_INVALID', status: 400 });
    await expect(speech.synthesize('第一行\n第二行')).rejects.toMatchObject({ code: 'REQUEST_INVALID' });
    await expect(speech.synthesize('一二三四五六七八九十十一')).rejects.toMatchObject({ code: 'REQUEST_INVALID' });
  });

  it('runs at most maxConcurrent syntheses at once, queues maxQueued, and refuses the rest with 503', async () => {
    const speech = new SpeechService({ command: 'sh', args: ['-c', 'cat > /dev/null; sleep 0.3; printf RIFF'], maxConcurrent: 2, maxQueued: 2 });
    const calls = [1, 2, 3, 4, 5].map((i) =>
      speech.synthesize(`第${i}号`).then(
        () => 'ok',
        (err: { status?: number }) => err.status,
      ),
    );
    expect(speech.stats).toMatchObject({ running: 2, waiting: 2 });
    expect(await Promise.all(calls)).toEqual(['ok', 'ok', 'ok', 'ok', 503]);
    expect(speech.stats).toEqual({ running: 0, waiting: 0, peak: 2 });
  });
});

describe('POST /kiosk/speech', () => {
  it('answers 400 REQUEST_INVALID to a NUL in the text (not a 500), and a WAV to plain text', async () => {
    const s = await makeServer(DEVICES_OFF);
    try {
      const nul = await s.app.inject({ method: 'POST', url: '/api/v1/kiosk/speech', payload: { text: 'A\u0000B' } });
      expect(nul.statusCode).toBe(400);
      expect(nul.json().error.code).toBe('REQUEST_INVALID');
      const ok = await s.app.inject({ method: 'POST', url: '/api/v1/kiosk/speech', payload: { text: '请A001号到1号窗口' } });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['content-type']).toMatch(/audio\/wav/);
      expect(ok.rawPayload.subarray(0, 4).toString()).toBe('RIFF');
    } finally {
      await s.close();
    }
  });
});
