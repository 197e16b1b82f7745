/**
 * The device hub in simulator mode (the default configuration, what `npm start` runs): all four
 * simulated devices come up ready on in-memory links, with no pty and no helper process; and the
 * daemon serves the product font the UI and the receipt previews use.
 */
import { readFileSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { PRODUCT_FONTS } from '../../drivers/common/fonts.ts';
import { DEVICE_KINDS } from '../../kiosk/devices/hub.ts';
import { act, until } from '../helpers/devices.ts';
import { makeServer, type TestServer } from '../helpers/server.ts';

let s: TestServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('DeviceHub in simulator mode', () => {
  it('brings every simulated device to ready on in-memory links, then follows an unplug', async () => {
    s = await makeServer();
    const hub = s.kiosk.devices;
    await s.kiosk.startDevices();
    await until(() => DEVICE_KINDS.every((k) => hub.status(k).state === 'ready'));
    // The four serial devices on in-memory links; the A4 printer's simulator is an IPP endpoint.
    const paths = [...hub.simulators.values()].map((sim) => sim.hostPath);
    expect(paths.filter((p) => p.startsWith('memory:')).sort()).toEqual(['memory:dispenser', 'memory:idcard', 'memory:printer', 'memory:scanner']);
    expect(paths.filter((p) => !p.startsWith('memory:'))).toEqual([expect.stringMatching(/^(ipp|http):\/\/127\.0\.0\.1:\d+\//)]);
    await act(s, 'printer', 'unplug');
    await until(() => hub.status('printer').state === 'disconnected');
    await act(s, 'printer', 'replug');
    await until(() => hub.status('printer').state === 'ready');
  });

  it('reports the uniform fault shape of every driver through the hub', async () => {
    s = await makeServer();
    const hub = s.kiosk.devices;
    await s.kiosk.startDevices();
    await until(() => DEVICE_KINDS.every((k) => hub.status(k).state === 'ready'));
    await act(s, 'dispenser', 'cover-open');
    await act(s, 'printer', 'cover-open');
    await hub.printer?.refreshStatus();
    await until(() => hub.status('dispenser').state === 'fault');
    expect(hub.status('printer')).toEqual({ state: 'fault', code: 'cover-open', message: '打印机盖未关好' });
    expect(hub.status('dispenser')).toEqual({ state: 'fault', code: 'cover-open', message: '打印机盖未关闭' });
  });
});

describe('product font', () => {
  it('serves Noto Sans SC regular and bold with long caching, and nothing else under /fonts', async () => {
    s = await makeServer();
    for (const [name, file] of Object.entries(PRODUCT_FONTS)) {
      const res = await s.app.inject({ method: 'GET', url: `/fonts/${name}` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('font/ttf');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.rawPayload.length).toBe(statSync(file).size);
      expect(res.rawPayload.subarray(0, 4).equals(readFileSync(file).subarray(0, 4))).toBe(true);
    }
    expect((await s.app.inject({ method: 'GET', url: '/fonts/..%2Fpackage.json' })).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'GET', url: '/fonts/wqy-microhei.ttc' })).statusCode).toBe(404);
  });
});
