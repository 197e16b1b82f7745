import type { HidDeviceHandle, HidOpener, HidTarget } from './types.ts';
import { HID_POS_USAGE_PAGE, HID_POS_USAGE_SCANNER } from './types.ts';

/**
 * The only file that touches node-hid, and only through a dynamic import, so a machine without
 * libusb/hidraw can still load the scanner module and run serial mode.
 *
 * Opening by VID/PID prefers the collection with usage page 0x8C / usage 0x02 (§4.1, as
 * WebHidBarcodeScanner selects it); usagePage is only reported by the hidraw backend on Linux, so
 * when no collection reports it we fall back to hidapi's own VID/PID open.
 */
type NodeHid = typeof import('node-hid');

let loading: Promise<NodeHid> | null = null;

export function loadNodeHid(): Promise<NodeHid> {
  loading ??= import('node-hid').then((m) => ((m as { default?: NodeHid }).default ?? m) as NodeHid);
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

export class HidUnavailableError extends Error {
  override readonly name = 'HidUnavailableError';
}

export const openWithNodeHid: HidOpener = async (target: HidTarget) => {
  let hid: NodeHid;
  try {
    hid = await loadNodeHid();
  } catch (err) {
    throw new HidUnavailableError(err instanceof Error ? err.message : String(err));
  }
  if ('path' in target) {
    const handle = await hid.HIDAsync.open(target.path);
    const info = await handle.getDeviceInfo().catch(() => undefined);
    return { handle: handle as unknown as HidDeviceHandle, ...(info ? { vendorId: info.vendorId } : {}) };
  }
  const candidates = await hid.devicesAsync(target.vendorId, target.productId);
  if (candidates.length === 0) throw new Error('device not present');
  const pos =
    candidates.find((d) => d.usagePage === HID_POS_USAGE_PAGE && d.usage === HID_POS_USAGE_SCANNER) ??
    candidates.find((d) => d.usagePage === HID_POS_USAGE_PAGE);
  const anyUsageInfo = candidates.some((d) => d.usagePage !== undefined);
  if (!pos && anyUsageInfo) throw new Error('no HID-POS collection (usage page 0x8C); scanner not in HID-POS mode');
  const handle = pos?.path !== undefined ? await hid.HIDAsync.open(pos.path) : await hid.HIDAsync.open(target.vendorId, target.productId);
  return { handle: handle as unknown as HidDeviceHandle, vendorId: target.vendorId };
};
