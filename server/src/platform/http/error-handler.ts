import type { Locale } from '@okpay/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isTemporaryDatabaseFailure, temporaryFailureReason } from '../db/errors.js';
import { AppError, PlatformError } from '../errors.js';
import { fieldIssues, validationFailed } from './validation.js';

const fastifyCodes: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_BAD_URL: 'bad_request',
  FST_ERR_MAX_PARAM_LENGTH: 'uri_too_long',
};

/** Every failure leaves as `{ error: { code, message } }`; 5xx details stay in the log. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(handleError);
}

/** The error handler; also Fastify's `frameworkErrors`, for URLs the router refuses before any hook runs. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const appError = toAppError(error, request.locale);
  if (appError.code === 'service_unavailable') {
    request.log.warn({ err: error }, `request failed: ${temporaryFailureReason(error)}`);
  } else if (appError.status >= 500) {
    request.log.error({ err: error }, 'request failed');
  } else {
    request.log.info({ code: appError.code, status: appError.status }, 'request refused');
  }
  return sendError(request, reply, appError);
}

/** The one error body, rendered in the caller's language. */
export function errorBody(error: AppError, locale: Locale) {
  return {
    error: {
      code: error.code,
      message: error.messageIn(locale),
      ...(error.details !== undefined ? { details: error.details } : {}),
    },
  };
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  const retryAfter = error.params.retryAfterSeconds;
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  return reply.status(error.status).send(errorBody(error, request.locale));
}

/**
 * An error that is not ours: 503 when the database is away or canceled a statement that ran too
 * long (worth retrying), otherwise 500.
 */
export function unexpectedError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return isTemporaryDatabaseFailure(error)
    ? PlatformError('service_unavailable', { retryAfterSeconds: 5 })
    : PlatformError('internal_error');
}

function toAppError(error: FastifyError, locale: Locale): AppError {
  if (error instanceof AppError) return error;
  const issues = fieldIssues(error);
  if (issues) return validationFailed(issues, locale);
  const mapped = error.code ? fastifyCodes[error.code] : undefined;
  if (mapped) return PlatformError(mapped as 'bad_request');
  const status = error.statusCode ?? 500;
  if (status === 404) return PlatformError('not_found');
  if (status === 405) return PlatformError('method_not_allowed');
  if (status === 413) return PlatformError('payload_too_large');
  if (status === 414) return PlatformError('uri_too_long');
  if (status === 415) return PlatformError('unsupported_media_type');
  if (status === 429) return PlatformError('rate_limited', { retryAfterSeconds: 60 });
  if (status >= 400 && status < 500) return PlatformError('bad_request');
  return unexpectedError(error);
}
