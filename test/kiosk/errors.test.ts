import { describe, expect, it } from 'vitest';
import { ERRORS, KioskError, type ErrorCode } from '../../kiosk/errors.ts';

describe('error catalogue', () => {
  it('gives every code an HTTP status and a Chinese message for the screen', () => {
    for (const [code, { status, message }] of Object.entries(ERRORS)) {
      expect(code).toMatch(/^[A-Z]+(_[A-Z]+)+$/);
      // Domain statuses, and the HTTP layer's own (auth, limits, what Fastify refuses, 500).
      expect([400, 401, 403, 404, 405, 408, 409, 413, 414, 415, 422, 429, 431, 500, 503]).toContain(status);
      expect(message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('builds errors that carry the code, status and details', () => {
    const err = new KioskError('QUEUE_ILLEGAL_TRANSITION' satisfies ErrorCode, { currentState: 'serving' });
    expect(err).toMatchObject({ code: 'QUEUE_ILLEGAL_TRANSITION', status: 409, details: { currentState: 'serving' } });
    expect(err.message).toBe(ERRORS.QUEUE_ILLEGAL_TRANSITION.message);
  });
});
