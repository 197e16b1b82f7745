import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { asStoreError } from '../kiosk/store/database.ts';
import { ERRORS, isKioskError, type ErrorCode } from '../kiosk/errors.ts';

/**
 * One shape for every error reply: `{ error: { code, message, details } }`, with a code from the
 * catalogue (kiosk/errors.ts) and a Chinese message fit for a screen. This file is the only place
 * that builds it: domain errors, the auth plugin's AUTH_* errors, schema errors (the validator's
 * English text goes to `details`, never to `message`), Fastify's own refusals (unknown route,
 * bad JSON, body too large, bad URL) and what Node's HTTP parser refuses before Fastify sees it
 * (headers too large, request timeout).
 */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details: Record<string, unknown> };
}

export function envelope(code: ErrorCode, details: Readonly<Record<string, unknown>> = {}, message?: string): ErrorBody {
  return { error: { code, message: message ?? ERRORS[code].message, details: { ...details } } };
}

/** Fastify's error codes → catalogue codes. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'MEDIA_TYPE_UNSUPPORTED',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'REQUEST_MALFORMED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'REQUEST_MALFORMED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'REQUEST_MALFORMED',
  FST_ERR_BAD_URL: 'REQUEST_MALFORMED',
  FST_ERR_ASYNC_CONSTRAINT: 'REQUEST_MALFORMED',
  FST_ERR_NOT_FOUND: 'NOT_FOUND',
  RATE_LIMITED: 'RATE_LIMITED',
};
/** Any other client error Fastify or a plugin raises, by status. */
const BY_STATUS: Record<number, ErrorCode> = {
  400: 'REQUEST_MALFORMED',
  401: 'AUTH_REQUIRED',
  403: 'AUTH_FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'MEDIA_TYPE_UNSUPPORTED',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
};

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.validation) {
    const first = error.validation[0];
    const missing = (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
    const field = [first?.instancePath?.replace(/^\//, '').replaceAll('/', '.'), missing].filter(Boolean).join('.') || error.validationContext || '';
    return reply
      .code(400)
      .send(envelope('REQUEST_INVALID', { field, in: error.validationContext ?? null, keyword: first?.keyword ?? null, reason: first?.message ?? '' }));
  }
  const domain = asStoreError(error);
  if (isKioskError(domain)) {
    if (domain.status >= 500) request.log.error({ code: domain.code, details: domain.details }, 'request failed');
    if (domain.status === 429 && typeof domain.details.retryAfterSeconds === 'number') reply.header('retry-after', String(domain.details.retryAfterSeconds));
    return reply.code(domain.status).send(envelope(domain.code, domain.details, domain.message));
  }
  const status = error.statusCode ?? 500;
  if (status < 500) {
    const code = FASTIFY_CODES[error.code ?? ''] ?? BY_STATUS[status] ?? 'REQUEST_MALFORMED';
    return reply.code(ERRORS[code].status).send(envelope(code, error.code ? { cause: error.code } : {}));
  }
  request.log.error({ err: error }, 'unexpected error');
  return reply.code(500).send(envelope('INTERNAL_ERROR'));
}

/** Unknown routes. */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send(envelope('NOT_FOUND', { method: request.method }));
}

/** Fastify's `frameworkErrors` (a URL that does not decode, an async constraint failing). */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const code = FASTIFY_CODES[error.code] ?? 'REQUEST_MALFORMED';
  return reply.code(ERRORS[code].status).send(envelope(code, { cause: error.code }));
}

/**
 * Node's HTTP parser refuses a request before Fastify sees it (headers over the limit, a header
 * timeout, garbage bytes): answer on the socket in the same shape, then close it.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const code: ErrorCode =
    err.code === 'HPE_HEADER_OVERFLOW' ? 'HEADERS_TOO_LARGE' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'REQUEST_TIMEOUT' : 'REQUEST_MALFORMED';
  const body = JSON.stringify(envelope(code, err.code ? { cause: err.code } : {}));
  const status = ERRORS[code].status;
  socket.end(
    `HTTP/1.1 ${status} ${code}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
