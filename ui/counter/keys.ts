/**
 * Function keys of the workstation, laid out like a hardware caller keypad (呼叫器): the most
 * used keys first. Shown on every button; the same map drives the keyboard handler.
 */
export const KEYS = {
  'call-next': 'F1',
  recall: 'F2',
  start: 'F3',
  complete: 'F4',
  'no-show': 'F5',
  suspend: 'F6',
  resume: 'F7',
  transfer: 'F8',
  pause: 'F9',
  extended: 'F10',
  open: 'F11',
  ack: 'F12',
} as const;

export type KeyAction = keyof typeof KEYS;

export const ACTION_BY_KEY: Readonly<Record<string, KeyAction>> = Object.fromEntries(Object.entries(KEYS).map(([a, k]) => [k, a as KeyAction]));
