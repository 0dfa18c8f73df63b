import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '../../domain/domain-error';
import { isApiPath } from '../web/csrf';
import { layoutLocals } from '../web/layout';

// The one place errors become responses: RFC 7807 JSON for the API, a friendly page for browsers. A person
// never sees a stack trace; a bug is logged with its stack and shown as a reference the support desk can find.
const STATUS_BY_CODE_SUFFIX: [RegExp, HttpStatus][] = [
  [/INVALID_PARAMETER$|INVALID_BODY$/, HttpStatus.BAD_REQUEST],
  [/PAYLOAD_TOO_LARGE$/, HttpStatus.PAYLOAD_TOO_LARGE],
  [/UNSUPPORTED_MEDIA_TYPE$/, HttpStatus.UNSUPPORTED_MEDIA_TYPE],
  [/SIGN_IN_REQUIRED$|SIGN_IN_FAILED$|SESSION_EXPIRED$|UNAUTHENTICATED$/, HttpStatus.UNAUTHORIZED],
  [/RATE_LIMITED$/, HttpStatus.TOO_MANY_REQUESTS],
  [/FORBIDDEN$|CSRF_TOKEN_INVALID$/, HttpStatus.FORBIDDEN],
  [/NOT_FOUND$/, HttpStatus.NOT_FOUND],
  [/CONFLICT$|ALREADY_EXISTS$/, HttpStatus.CONFLICT],
  [/UNAVAILABLE$/, HttpStatus.SERVICE_UNAVAILABLE],
];

export interface ErrorView {
  status: number;
  code: string;
  title: string;
  message: string;
  fix?: string;
  // The parameter at fault, for a 400.
  field?: string;
  // Headers the answer needs (Retry-After, WWW-Authenticate).
  headers?: Record<string, string>;
}

// The status a DomainError is answered with (by its code's suffix, else 422).
export function domainErrorStatus(error: DomainError): number {
  return STATUS_BY_CODE_SUFFIX.find(([pattern]) => pattern.test(error.code))?.[1] ?? HttpStatus.UNPROCESSABLE_ENTITY;
}

// A refused form, to be shown again as the page it was on (see web/form-errors.ts): thrown by the
// FormErrorsInterceptor, rendered here like every other answer to a failed request.
export class FormRedisplay {
  constructor(
    readonly status: number,
    readonly view: string,
    readonly model: object,
  ) {}
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const request = context.getRequest<Request & { id?: string }>();
    const response = context.getResponse<Response>();
    if (response.headersSent) return;
    if (exception instanceof FormRedisplay) {
      response.status(exception.status).render(exception.view, { ...layoutLocals(request), ...exception.model });
      return;
    }

    const view = this.describe(exception, request);
    if (view.headers) response.set(view.headers);
    if (view.code === 'AUTH.SIGN_IN_REQUIRED' && wantsHtml(request)) {
      // Where to come back to travels in the address, not in a session: an anonymous request stores nothing.
      response.redirect(
        303,
        request.method === 'GET' ? `/auth/sign-in?returnTo=${encodeURIComponent(request.originalUrl)}` : '/auth/sign-in',
      );
      return;
    }
    const reference = String(request.id ?? '');
    if (wantsHtml(request)) {
      response.status(view.status).render('errors/error', {
        ...layoutLocals(request),
        ...view,
        reference,
        signInAgain: view.status === HttpStatus.UNAUTHORIZED,
        pageTitle: view.title,
      });
      return;
    }
    response
      .status(view.status)
      .type('application/problem+json')
      .json({
        type: `urn:sync365:problem:${view.code.toLowerCase()}`,
        title: view.title,
        status: view.status,
        code: view.code,
        detail: view.message,
        ...(view.fix ? { fix: view.fix } : {}),
        ...(view.field ? { field: view.field } : {}),
        instance: request.originalUrl.split('?')[0],
        ...(reference ? { requestId: reference } : {}),
      });
  }

  private describe(exception: unknown, request: Request): ErrorView {
    if (exception instanceof DomainError) {
      const status = domainErrorStatus(exception);
      if (status >= 500) this.logger.warn({ code: exception.code, path: request.path }, exception.message);
      const { field, headers } = exception as DomainError & { field?: string; headers?: Record<string, string> };
      return { status, code: exception.code, title: titleFor(status), message: exception.message, fix: exception.fix, field, headers };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === HttpStatus.NOT_FOUND) {
        return {
          status,
          code: 'HTTP.NOT_FOUND',
          title: 'Page not found',
          message: 'There is nothing at this address.',
          fix: 'Check the address, or go back to the dashboard.',
        };
      }
      const body = exception.getResponse();
      const detail =
        typeof body === 'object' && body && 'message' in body
          ? [(body as { message: unknown }).message].flat().join('; ')
          : exception.message;
      if (status >= 500) this.logger.error({ err: exception, path: request.path }, 'Request failed');
      return { status, code: `HTTP.${HttpStatus[status] ?? status}`, title: titleFor(status), message: detail };
    }
    this.logger.error({ err: exception, path: request.path }, 'Unexpected error');
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      code: 'INTERNAL.UNEXPECTED',
      title: 'Something went wrong on our side',
      message: 'Sync 365 could not finish this request. Nothing you did caused it, and nothing was lost.',
      fix: 'Try again in a moment. If it keeps happening, send the reference below to your Sync 365 administrator.',
    };
  }
}

// originalUrl, not path: an error thrown by middleware (CSRF) reaches the filter before routing.
export function wantsHtml(request: Request): boolean {
  if (isApiPath(request) || request.originalUrl.split('?')[0] === '/health') return false;
  return request.accepts(['html', 'json']) === 'html';
}

function titleFor(status: number): string {
  switch (status) {
    case 401:
      return 'Sign-in needed';
    case 403:
      return 'Not allowed';
    case 404:
      return 'Not found';
    case 409:
      return 'Already changed';
    case 429:
      return 'Too many requests';
    case 503:
      return 'Temporarily unavailable';
    default:
      return status >= 500 ? 'Something went wrong on our side' : 'That did not work';
  }
}
