import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { A4PrinterDriver, IppPrinterSimulator, resolvePrinterTarget, type JobProgress } from '../../../drivers/a4printer/index.ts';
import type { DeviceStatus } from '../../../drivers/common/status.ts';

/** A minimal 2-page PDF: the simulator counts page objects, the driver checks the %PDF- magic. */
function pdfOfPages(n: number): Buffer {
  const pages = Array.from({ length: n }, (_, i) => `${i + 3} 0 obj << /Type /Page /Parent 2 0 R >> endobj`).join('\n');
  return Buffer.from(`%PDF-1.3\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Count ${n} >> endobj\n${pages}\n%%EOF\n`, 'latin1');
}

let sim: IppPrinterSimulator;
let driver: A4PrinterDriver;

beforeEach(async () => {
  sim = await IppPrinterSimulator.start({ pendingMs: 20, msPerPage: 40 });
  driver = new A4PrinterDriver({ target: sim.uri, statusPollMs: 0, jobPollMs: 15, requestTimeoutMs: 1000, stallCancelMs: 150, jobTimeoutMs: 10_000 });
  await driver.start();
});
afterEach(async () => {
  await driver.stop();
  await sim.close();
});

describe('printer targets', () => {
  it('maps a CUPS queue name and ipp/http URIs to the printer-uri and the HTTP URL', () => {
    expect(resolvePrinterTarget('HP_LaserJet')).toEqual({
      printerUri: 'ipp://localhost:631/printers/HP_LaserJet',
      httpUrl: 'http://localhost:631/printers/HP_LaserJet',
    });
    expect(resolvePrinterTarget('ipp://10.0.0.5/ipp/print')).toEqual({ printerUri: 'ipp://10.0.0.5/ipp/print', httpUrl: 'http://10.0.0.5:631/ipp/print' });
    expect(resolvePrinterTarget('ipps://p.example:443/ipp/print').httpUrl).toBe('https://p.example/ipp/print');
    expect(resolvePrinterTarget('http://10.0.0.5:8631/printers/a').printerUri).toBe('ipp://10.0.0.5:8631/printers/a');
    expect(() => resolvePrinterTarget('lpd://x/q')).toThrow(/unsupported/);
    expect(() => resolvePrinterTarget('bad name')).toThrow();
  });
});

describe('A4 printer driver against the IPP simulator', () => {
  it('prints a PDF: Print-Job, then pending → processing → completed, and the simulator keeps the bytes', async () => {
    const states: string[] = [];
    const pdf = pdfOfPages(2);
    const r = await driver.print(pdf, { jobName: 'certificate-proof', onProgress: (p: JobProgress) => states.push(p.state) });
    expect(r).toEqual({ ok: true, jobId: 1, warnings: [] });
    expect(states[0]).toBe('pending');
    expect(states).toContain('processing');
    expect(states.at(-1)).toBe('completed');
    const job = sim.lastJob();
    expect(job?.data.equals(pdf)).toBe(true);
    expect(job).toMatchObject({ format: 'application/pdf', name: 'certificate-proof', userName: 'hall-kiosk', pages: 2, pagesPrinted: 2, state: 'completed' });
    expect(sim.operations).toContain('Print-Job');
    expect(sim.operations).toContain('Get-Job-Attributes');
    expect(driver.status()).toEqual({ state: 'ready', warnings: [] });
  });

  it('refuses before sending when the printer reports media-empty, jam, door open or offline', async () => {
    for (const [action, code, undo] of [
      ['media-empty', 'media-empty', 'media-ok'],
      ['media-jam', 'media-jam', 'media-ok'],
      ['door-open', 'door-open', 'door-close'],
      ['offline', 'offline', 'online'],
    ] as const) {
      await sim.act(action);
      const r = await driver.print(pdfOfPages(1));
      expect(r).toMatchObject({ ok: false, code, phase: 'precheck', jobId: null });
      const s = driver.status();
      expect(s.state).toBe('fault');
      expect(s.state === 'fault' && s.message).toMatch(/A4 打印机/);
      await sim.act(undo);
    }
    expect(sim.jobs()).toHaveLength(0);
  });

  it('media-empty mid-job: the job stops, is cancelled after stallCancelMs and reported as incomplete', async () => {
    await sim.act('media-empty-after', { pages: 1 });
    const statuses: DeviceStatus[] = [];
    driver.on('status', (s) => statuses.push(s));
    const r = await driver.print(pdfOfPages(3));
    expect(r).toMatchObject({ ok: false, code: 'media-empty-mid-job', phase: 'job', jobId: 1, message: '打印中途缺纸，证明未打印完整' });
    const job = sim.job(1);
    expect(job?.pagesPrinted).toBe(1);
    expect(job?.state).toBe('canceled');
    expect(statuses.some((s) => s.state === 'busy')).toBe(true);
    expect(driver.status()).toMatchObject({ state: 'fault', code: 'media-empty', message: 'A4 打印机缺纸' });
    // Paper refilled: the next certificate prints.
    await sim.act('media-ok');
    await driver.refreshStatus();
    expect((await driver.print(pdfOfPages(1))).ok).toBe(true);
  });

  it('a paper jam mid-job is reported as such; a refill before stallCancelMs lets the job finish', async () => {
    await sim.act('media-jam-after', { pages: 1 });
    const jam = await driver.print(pdfOfPages(2));
    expect(jam).toMatchObject({ ok: false, code: 'media-jam-mid-job' });

    await sim.act('media-ok');
    const slow = new A4PrinterDriver({ target: sim.uri, statusPollMs: 0, jobPollMs: 15, stallCancelMs: 5000 });
    await slow.start();
    await sim.act('media-empty-after', { pages: 1 });
    const printing = slow.print(pdfOfPages(2));
    await waitFor(() => sim.lastJob()?.state === 'processing-stopped');
    await sim.act('media-ok');
    expect(await printing).toMatchObject({ ok: true });
    expect(sim.lastJob()).toMatchObject({ state: 'completed', pagesPrinted: 2 });
    await slow.stop();
  });

  it('an aborted job and a printer that refuses jobs end in typed failures', async () => {
    const printing = driver.print(pdfOfPages(5));
    await waitFor(() => sim.lastJob()?.state === 'processing');
    await sim.act('abort-current');
    expect(await printing).toMatchObject({ ok: false, code: 'aborted', phase: 'job' });

    await sim.act('reject-jobs');
    expect(await driver.print(pdfOfPages(1))).toMatchObject({ ok: false, code: 'not-accepting', phase: 'precheck' });
  });

  it('toner-low is a warning, not a fault; the job completes with it', async () => {
    await sim.act('toner-low');
    const r = await driver.print(pdfOfPages(1));
    expect(r).toEqual({ ok: true, jobId: 1, warnings: [{ code: 'toner-low', message: 'A4 打印机墨粉不足' }] });
  });

  it('an unreachable printer is disconnected, and the driver recovers when it is back', async () => {
    await sim.unplug();
    expect(await driver.print(pdfOfPages(1))).toMatchObject({ ok: false, code: 'unreachable', phase: 'precheck' });
    expect(driver.status()).toEqual({ state: 'disconnected', reason: '无法连接 A4 打印机' });
    await sim.replug();
    expect(await driver.refreshStatus()).toEqual({ state: 'ready', warnings: [] });
  });

  it('refuses bytes that are not a PDF without contacting the printer', async () => {
    const before = sim.operations.length;
    expect(await driver.print(Buffer.from('hello'))).toMatchObject({ ok: false, code: 'invalid-document', phase: 'precheck' });
    expect(sim.operations.length).toBe(before);
  });
});

describe('the IPP simulator over a long day', () => {
  it('keeps the newest finished jobs of its history and the last 1000 operation names, not everything', async () => {
    const small = await IppPrinterSimulator.start({ pendingMs: 0, msPerPage: 0, jobHistory: 3 });
    const d = new A4PrinterDriver({ target: small.uri, statusPollMs: 0, jobPollMs: 5, requestTimeoutMs: 1000, stallCancelMs: 150, jobTimeoutMs: 10_000 });
    await d.start();
    try {
      for (let i = 1; i <= 5; i++) expect(await d.print(pdfOfPages(1), { jobName: `job-${i}` })).toMatchObject({ ok: true, jobId: i });
      expect(small.jobs().map((j) => j.name)).toEqual(['job-3', 'job-4', 'job-5']);
      expect(small.lastJob()?.data.equals(pdfOfPages(1))).toBe(true);
      for (let i = 0; i < 1100; i++) await d.refreshStatus();
      expect(small.operations).toHaveLength(1000);
      expect(small.operations.at(-1)).toBe('Get-Printer-Attributes');
    } finally {
      await d.stop();
      await small.close();
    }
  });
});

async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}
