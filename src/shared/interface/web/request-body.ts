import { Injectable, type NestMiddleware } from '@nestjs/common';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { DomainError } from '../../domain/domain-error';
import { InvalidParameterError } from '../http/partner-api';

// Dashboard forms and API bodies are small; anything near this is a mistake or an attack.
export const BODY_LIMIT = '512kb';
const READ_TYPES = ['application/json', 'application/*+json', 'application/x-www-form-urlencoded'];

export class RequestBodyError extends DomainError {
  constructor(
    readonly code: 'HTTP.PAYLOAD_TOO_LARGE' | 'HTTP.UNSUPPORTED_MEDIA_TYPE' | 'HTTP.INVALID_BODY',
    message: string,
    fix: string,
  ) {
    super(message, fix);
  }
}

// Bodies are read here, as Nest middleware in front of every route (Nest's own parsers are off, see
// app.factory.ts), so everything a client can get wrong about a body — too large, a charset or encoding nobody
// reads, a Content-Encoding that does not match the bytes, a media type no route takes, a NUL character (which
// PostgreSQL refuses in text) — reaches the ErrorFilter as a 4xx problem or page instead of a 500, and before
// any route acts on it.
@Injectable()
export class RequestBodyMiddleware implements NestMiddleware {
  private readonly json: RequestHandler = express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  private readonly form: RequestHandler = express.urlencoded({ limit: BODY_LIMIT, extended: false });

  use(request: Request, response: Response, next: NextFunction): void {
    if (hasBody(request) && !request.is(READ_TYPES)) {
      return next(
        new RequestBodyError(
          'HTTP.UNSUPPORTED_MEDIA_TYPE',
          `Sync 365 does not read a ${request.get('content-type') ? `"${request.get('content-type')}"` : 'body without a Content-Type'}.`,
          'Send JSON with Content-Type: application/json (or, for a form, application/x-www-form-urlencoded), or send no body.',
        ),
      );
    }
    this.json(request, response, (jsonError?: unknown) => {
      if (jsonError) return next(bodyParserError(jsonError));
      this.form(request, response, (formError?: unknown) => {
        if (formError) return next(bodyParserError(formError));
        const field = fieldWithNul(request.query, 'query') ?? fieldWithNul(request.body, 'body');
        if (field) return next(new InvalidParameterError(field, 'must not contain the NUL character (\\u0000)'));
        next();
      });
    });
  }
}

// RFC 9110 §6.4: a request has a body when it says how long it is (and it is not empty) or that it is chunked.
function hasBody(request: Request): boolean {
  const length = request.get('content-length');
  return request.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

// body-parser's errors carry a `type` (body-parser README, "Errors") and a 4xx `status`; a zlib error from a
// false Content-Encoding comes as a bare 400.
function bodyParserError(error: unknown): unknown {
  const { type, status } = error as { type?: unknown; status?: unknown };
  if (typeof status !== 'number' || status < 400 || status >= 500) return error;
  switch (type) {
    case 'entity.too.large':
    case 'parameters.too.many':
      return new RequestBodyError(
        'HTTP.PAYLOAD_TOO_LARGE',
        `The request body is larger than Sync 365 accepts (${BODY_LIMIT}).`,
        'Send a smaller body: no Sync 365 form or API operation needs this much.',
      );
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new RequestBodyError(
        'HTTP.UNSUPPORTED_MEDIA_TYPE',
        `Sync 365 cannot read this body: ${(error as Error).message}.`,
        'Send UTF-8 JSON or a form, without Content-Encoding (or gzip/deflate that matches the body).',
      );
    default:
      // entity.parse.failed, request.aborted, request.size.invalid, a Content-Encoding the bytes do not match…
      return new RequestBodyError(
        'HTTP.INVALID_BODY',
        'The request body could not be read: it is not valid for its Content-Type and Content-Encoding.',
        'Check that the body is valid JSON (or a form) and that any Content-Encoding header matches it.',
      );
  }
}

// The first parameter (`q`, `body.name`) holding a NUL character, if any.
function fieldWithNul(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = fieldWithNul(item, path);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) return `${path === 'query' ? '' : `${path}.`}${key.replaceAll('\u0000', '\\u0000')}`;
      const found = fieldWithNul(item, path === 'query' ? key : `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}
