/**
 * Chinese texts for the scanner (citizen screen and technician console): the fault catalogue
 * and the other status texts (convention in ../common/status.ts).
 */
export const SCANNER_FAULTS = Object.freeze({
  'hid-unavailable': '本机无法加载 HID 驱动（node-hid），请改用串口模式或安装 libusb/hidraw 支持',
} as const);

export type ScannerFaultCode = keyof typeof SCANNER_FAULTS;

export const SCANNER_TEXT = Object.freeze({
  serialClosed: '扫码器串口已断开，正在重新连接',
  serialNotOpen: '扫码器串口未连接，正在重试',
  hidNotFound: '未找到扫码器（HID-POS 模式），正在重试',
  hidLost: '扫码器已断开，正在重新连接',
  stopped: '扫码器已停止',
});
