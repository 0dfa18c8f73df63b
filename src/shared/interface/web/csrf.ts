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
    // A partner system calling with an API key: a browser never adds a Bearer header by itself, so a forged
    // cross-site request cannot carry one, and there is no session to ride on. A request that is signed in
    // through the session cookie is checked even with a Bearer header (and the request guard authenticates a
    // Bearer request on an API route by its key alone, never by the session).
    // Nobody is signed in on a partner API call (with a key, or with nothing): there is no session to forge a
    // request with, and the request guard answers (a partner system should hear "authenticate", not "reload
    // the form"). Elsewhere (dashboard forms, the portal, whose sign-in is not request.user) the token is due.
    if (isApiPath(request) && !request.user) return next();
    const expected = request.session?.csrfToken;
    const sent = (request.body as Record<string, unknown> | undefined)?._csrf ?? request.get('x-csrf-token');
    if (!expected || typeof sent !== 'string' || !sameToken(expected, sent)) throw new CsrfTokenInvalidError();
    next();
  }
}

export function isApiPath(request: Request): boolean {
  return request.originalUrl.startsWith('/api/');
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
