/**
 * The logging surface drivers may use. It is a subset of pino's Logger, so the daemon
 * passes a pino child logger; tests pass `silentLogger` or a recording logger.
 * Drivers must never put personal data (names, ID numbers, photos, raw card frames) in a log call.
 */
export interface DeviceLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = (): void => undefined;
export const silentLogger: DeviceLogger = { debug: noop, info: noop, warn: noop, error: noop };
