import { Injectable, Optional, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { RENDER_METADATA } from '@nestjs/common/constants';
import type { Request } from 'express';
import { from, map, switchMap, type Observable } from 'rxjs';
import { roleAbilities } from '../../domain/staff-role';
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
    // What the signed-in user's role may do: pages show only the buttons it allows (`{{#if @root.can.change}}`).
    can: actor ? roleAbilities(actor.role ?? 'viewer') : undefined,
    csrfToken: actor && request.session ? csrfToken(request) : undefined,
    flash: takeFlash(request),
    importExpectedSince: actor ? takeImportExpected(request) : undefined,
    currentPath: request.path,
    // Read by the `when` view helper from the template's root data: every date on the page in this zone.
    timeZone: (request as RequestWithTimeZone).timeZone ?? 'UTC',
  };
}

// The organization's time zone, for the dates on its pages (the licensing module owns it; app.module binds it).
export abstract class PageTimeZone {
  abstract of(organizationId: string): Promise<string>;
}

type RequestWithTimeZone = RequestWithActor & { timeZone?: string };

@Injectable()
export class LayoutInterceptor implements NestInterceptor {
  constructor(@Optional() private readonly timeZones?: PageTimeZone) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<RequestWithTimeZone>();
    const isPage = Reflect.getMetadata(RENDER_METADATA, context.getHandler()) !== undefined;
    // Signed-in pages, and the pages a handler renders itself (errors, refusals), learn the zone before the handler
    // runs; the partner API answers ISO-8601 instants and needs none.
    const handled = () =>
      isPage ? next.handle().pipe(map((viewModel) => ({ ...layoutLocals(request), ...(viewModel as object) }))) : next.handle();
    if (!request.actor || !this.timeZones || request.path.startsWith('/api/')) return handled();
    return from(this.timeZoneOf(request.actor.organizationId)).pipe(
      switchMap((timeZone) => {
        request.timeZone = timeZone;
        return handled();
      }),
    );
  }

  private async timeZoneOf(organizationId: string): Promise<string> {
    try {
      return await this.timeZones!.of(organizationId);
    } catch {
      // A page whose zone cannot be read shows UTC (and says so) rather than fail; its own reads report the fault.
      return 'UTC';
    }
  }
}
