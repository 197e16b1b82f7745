/** Chinese status texts for the scanner (citizen screen and technician console). */
export const SCANNER_MESSAGES = {
  serialClosed: '扫码器串口已断开，正在重新连接',
  serialNotOpen: '扫码器串口未连接，正在重试',
  hidNotFound: '未找到扫码器（HID-POS 模式），正在重试',
  hidLost: '扫码器已断开，正在重新连接',
  hidUnavailable: '本机无法加载 HID 驱动（node-hid），请改用串口模式或安装 libusb/hidraw 支持',
  stopped: '扫码器已停止',
} as const;

export const SCANNER_FAULT_CODES = {
  hidUnavailable: 'SCANNER_HID_UNAVAILABLE',
} as const;
