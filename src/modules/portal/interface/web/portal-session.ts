import { createParamDecorator, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { Clock } from '../../../../shared/application/clock';
import { csrfToken } from '../../../../shared/interface/web/csrf';
import { safeReturnPath, SESSION_ABSOLUTE_LIFETIME_MS } from '../../../../shared/interface/web/session-lifetime';
import { takeFlash } from '../../../../shared/interface/web/flash';
import type { PortalMembership } from '../../application/sign-in-portal-user.use-case';
import { LoadPortalViewerUseCase } from '../../application/load-portal-viewer.use-case';
import type { PortalPrincipal, PortalViewer } from '../../application/portal-viewer';
import { PortalSignInRequiredError } from '../../domain/portal.errors';
import { mayManageUsers, mayRequestChanges, PORTAL_ROLE_LABELS } from '../../domain/portal-user';

declare module 'express-session' {
  interface SessionData {
    // The portal's own principal: a field of its own, never passport's (the dashboard's staff user).
    portal?: PortalPrincipal;
    // After a sign-in that several partners' portals accept: the ones to choose from.
    portalChoices?: PortalMembership[];
    portalReturnTo?: string;
    // When the portal sign-in happened (ms since epoch): it ends SESSION_ABSOLUTE_LIFETIME_MS after, like the
    // dashboard's.
    portalSignedInAt?: number;
  }
}

export type RequestWithPortalViewer = Request & { portalViewer?: PortalViewer };

// Every customer page needs a signed-in portal user (the routes are @Public() for the dashboard's guard).
@Injectable()
export class PortalSessionGuard implements CanActivate {
  constructor(
    private readonly loadViewer: LoadPortalViewerUseCase,
    private readonly clock: Clock,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithPortalViewer>();
    const principal = request.session?.portal;
    const now = this.clock.now().getTime();
    // A portal sign-in from before sign-in times were kept starts its absolute lifetime now.
    if (principal) request.session.portalSignedInAt ??= now;
    const current = principal && now - (request.session.portalSignedInAt ?? now) <= SESSION_ABSOLUTE_LIFETIME_MS;
    const viewer = principal && current ? await this.loadViewer.execute(principal) : null;
    if (!viewer) {
      if (request.session?.portal) delete request.session.portal;
      throw new PortalSignInRequiredError();
    }
    request.portalViewer = viewer;
    return true;
  }
}

export const CurrentPortalViewer = createParamDecorator((_: unknown, context: ExecutionContext): PortalViewer => {
  const viewer = context.switchToHttp().getRequest<RequestWithPortalViewer>().portalViewer;
  if (!viewer) throw new Error('CurrentPortalViewer used on a route without PortalSessionGuard');
  return viewer;
});

// What every portal page's layout needs: the portal layout, the partner's branding, who is signed in and what
// they may do, the CSRF token for its forms, and the flash messages.
export function portalLocals(request: Request, viewer: PortalViewer | null, brand?: string): Record<string, unknown> {
  return {
    layout: 'layouts/portal',
    brand: viewer?.partnerName ?? brand ?? null,
    viewer: viewer
      ? {
          ...viewer,
          roleLabel: PORTAL_ROLE_LABELS[viewer.role],
          mayRequest: mayRequestChanges(viewer.role),
          mayManageUsers: mayManageUsers(viewer.role),
        }
      : null,
    // Only pages with forms need a token: an anonymous page (the sign-in page) creates no session.
    csrfToken: request.session && (viewer || request.session.portalChoices) ? csrfToken(request) : undefined,
    flash: takeFlash(request),
    currentPath: request.path,
  };
}

// Only a portal path on this site after sign-in (no open redirect): a safe path of this site, within the portal and
// not one of its sign-in steps.
export function portalReturnPath(value: unknown): string {
  const path = safeReturnPath(value, '/portal');
  return /^\/portal(\/|\?|$)/.test(path) && !/^\/portal\/(auth|login|sign-in)/.test(path) ? path : '/portal';
}
