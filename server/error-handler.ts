import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { asStoreError } from '../kiosk/store/database.ts';
import { isKioskError } from '../kiosk/errors.ts';

/**
 * One shape for every error reply: `{ error: { code, message, details } }`.
 * Schema errors → 400 naming the field; domain errors carry their own status (404 unknown,
 * 409 illegal transition with the current state, 503 storage unavailable); anything else is a
 * 500 with a generic message (the stack goes to the log, never to the client).
 */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.validation) {
    const first = error.validation[0];
    const missing = (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
    const field = [first?.instancePath?.replace(/^\//, '').replaceAll('/', '.'), missing].filter(Boolean).join('.') || error.validationContext;
    return reply.code(400).send({
      error: {
        code: 'REQUEST_INVALID',
        message: `请求内容有误：${field} ${first?.message ?? ''}`.trim(),
        details: { field, in: error.validationContext, reason: first?.message ?? '' },
      },
    });
  }
  const domain = asStoreError(error);
  if (isKioskError(domain)) {
    if (domain.status >= 500) request.log.error({ code: domain.code, details: domain.details }, 'request failed');
    return reply.code(domain.status).send({ error: { code: domain.code, message: domain.message, details: domain.details } });
  }
  if (error.statusCode && error.statusCode < 500) {
    return reply.code(error.statusCode).send({ error: { code: error.code ?? 'REQUEST_INVALID', message: error.message } });
  }
  request.log.error({ err: error }, 'unexpected error');
  return reply.code(500).send({ error: { code: 'INTERNAL', message: '系统内部错误，请联系工作人员' } });
}
