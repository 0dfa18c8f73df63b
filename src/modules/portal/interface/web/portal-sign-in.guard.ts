import { Injectable, type ExecutionContext } from '@nestjs/common';
import { AuthGuard, type IAuthModuleOptions } from '@nestjs/passport';
import type { Request } from 'express';
import { aadstsCodesIn, microsoftRefusal } from '../../../../shared/application/microsoft-refusals';
import { DomainError } from '../../../../shared/domain/domain-error';
import { PortalSignInFailedError } from '../../domain/portal.errors';
import { shortLivedUntilSignedIn } from '../../../../shared/interface/web/session-lifetime';
import { portalReturnPath } from './portal-session';
import { PORTAL_SIGN_IN } from './portal-sign-in.strategy';

// Starts the portal's Microsoft sign-in and finishes it on /portal/auth/callback. The result goes to
// `request.portalSignIn`, never to `request.user` (the dashboard's principal): nothing is logged in to passport.
@Injectable()
export class PortalSignInGuard extends AuthGuard(PORTAL_SIGN_IN) {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    // Microsoft's own refusals (Cancel on the consent page, Conditional Access…) carry an AADSTS code.
    if (typeof request.query.error === 'string') throw signInFailure(request.query.error, String(request.query.error_description ?? ''));
    if (request.path === '/portal/login') {
      // The session passport-azure-ad creates for state and nonce is short-lived until the sign-in succeeds.
      shortLivedUntilSignedIn(request);
      if (request.query.returnTo !== undefined) request.session.portalReturnTo = portalReturnPath(request.query.returnTo);
    }
    return (await super.canActivate(context)) as boolean;
  }

  override getAuthenticateOptions(context: ExecutionContext): IAuthModuleOptions & Record<string, unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    // "Sign in with another account" from a refusal page: let the person pick, not reuse Microsoft's session.
    return { property: 'portalSignIn', ...(request.query.account === 'other' ? { prompt: 'select_account' } : {}) };
  }

  override handleRequest<T>(error: unknown, result: T, info: unknown): T {
    if (error instanceof DomainError) throw error;
    if (error || !result) {
      const message =
        error instanceof Error ? error.message : typeof info === 'string' ? info : ((info as Error | undefined)?.message ?? '');
      throw /state|nonce/i.test(message)
        ? new PortalSignInFailedError(
            'This sign-in link has already been used or has expired.',
            'Start again from the licence portal’s sign-in page, in a single browser tab.',
          )
        : new PortalSignInFailedError(
            'Microsoft’s answer could not be verified, so you were not signed in.',
            'Start again from the licence portal’s sign-in page.',
          );
    }
    return result;
  }
}

// Microsoft's own refusals (Cancel on the consent page, admin approval…) from the one table of them, by AADSTS code.
function signInFailure(error: string, description: string): PortalSignInFailedError {
  const codes = aadstsCodesIn(description);
  const known = microsoftRefusal('portal-sign-in', { codes, error });
  if (known) return new PortalSignInFailedError(known.reason, known.fix);
  const shown = codes.length ? `AADSTS${codes[0]}` : /^[a-z_]{1,40}$/.test(error) ? error : 'error';
  return new PortalSignInFailedError(
    `Microsoft did not sign you in (${shown}).`,
    'Try again. If it keeps failing, ask your Microsoft 365 administrator to check the sign-in logs.',
  );
}
