/** Exit codes of sysexits(3), as the `hall-kiosk` command and the daemon use them. */
export const EX = {
  OK: 0,
  FAILED: 1,
  USAGE: 64,
  DATAERR: 65,
  SOFTWARE: 70,
  CANTCREAT: 73,
  IOERR: 74,
  TEMPFAIL: 75,
  NOPERM: 77,
  CONFIG: 78,
} as const;

/** An expected failure of a command: printed as one line, no stack. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(exitCode: number, message: string) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
