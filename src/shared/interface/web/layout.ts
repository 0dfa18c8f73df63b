import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { RENDER_METADATA } from '@nestjs/common/constants';
import type { Request } from 'express';
import { map, type Observable } from 'rxjs';
import { csrfToken } from './csrf';
import { takeFlash, takeImportExpected } from './flash';
import type { RequestWithActor } from './request-actor';

// What every page's layout needs besides the page's own view model: who is signed in, the CSRF token for the
// layout's forms (sign-out), and the flash messages (taken here, so only a rendered page consumes them).
// Anonymous pages have no forms, so they get no CSRF token and create no session.
export function layoutLocals(request: Request): Record<string, unknown> {
  const actor = (request as RequestWithActor).actor;
  return {
    actor,
    csrfToken: actor && request.session ? csrfToken(request) : undefined,
    flash: takeFlash(request),
    importExpectedSince: actor ? takeImportExpected(request) : undefined,
    currentPath: request.path,
  };
}

@Injectable()
export class LayoutInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const isPage = Reflect.getMetadata(RENDER_METADATA, context.getHandler()) !== undefined;
    if (!isPage) return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    return next.handle().pipe(map((viewModel) => ({ ...layoutLocals(request), ...(viewModel as object) })));
  }
}
