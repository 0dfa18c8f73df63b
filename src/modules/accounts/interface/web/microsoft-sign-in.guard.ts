import { Injectable, type ExecutionContext } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { DomainError } from '../../../../shared/domain/domain-error';
import { safeReturnPath, shortLivedUntilSignedIn } from '../../../../shared/interface/web/session-lifetime';
import { describeSignInFailure } from '../../application/microsoft-sign-in';
import { MICROSOFT_SIGN_IN } from './microsoft-sign-in.strategy';

// Starts the Microsoft sign-in (redirect) and finishes it on the callback. Every way it can fail becomes a
// SignInFailedError with the reason in plain words.
@Injectable()
export class MicrosoftSignInGuard extends AuthGuard(MICROSOFT_SIGN_IN) {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    // passport-azure-ad drops error_description (it would not fit a header), but it carries the AADSTS code.
    if (typeof request.query.error === 'string') {
      throw describeSignInFailure({ error: request.query.error, errorDescription: String(request.query.error_description ?? '') });
    }
    if (request.path === '/auth/login') {
      shortLivedUntilSignedIn(request);
      const returnTo = safeReturnPath(request.query.returnTo, '');
      if (returnTo) request.session.returnTo = returnTo;
      const invitation = request.query.invitation;
      // Only this sign-in uses the invitation: a later plain sign-in from the same browser starts afresh.
      if (typeof invitation === 'string' && /^[0-9a-f-]{36}$/i.test(invitation)) request.session.invitationId = invitation;
      else delete request.session.invitationId;
    }
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(error: unknown, user: T, info: unknown): T {
    if (error instanceof DomainError) throw error;
    if (error) throw describeSignInFailure({ message: error instanceof Error ? error.message : String(error) });
    if (!user) throw describeSignInFailure({ message: typeof info === 'string' ? info : (info as Error | undefined)?.message });
    return user;
  }
}
