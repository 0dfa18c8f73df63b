import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../../domain/domain-error';

export class CsrfTokenInvalidError extends DomainError {
  readonly code = 'WEB.CSRF_TOKEN_INVALID';
  constructor() {
    super('This form has expired or was not sent from Sync 365, so nothing was changed.', 'Go back, reload the page and try again.');
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// Synchronizer token per session: every form carries `_csrf`, scripts send `x-csrf-token`.
export function csrfToken(request: Request): string {
  return (request.session.csrfToken ??= randomBytes(32).toString('base64url'));
}

@Injectable()
export class CsrfMiddleware implements NestMiddleware {
  use(request: Request, _response: Response, next: NextFunction): void {
    if (SAFE_METHODS.has(request.method)) return next();
    const expected = request.session?.csrfToken;
    const sent = (request.body as Record<string, unknown> | undefined)?._csrf ?? request.get('x-csrf-token');
    if (!expected || typeof sent !== 'string' || !sameToken(expected, sent)) throw new CsrfTokenInvalidError();
    next();
  }
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
