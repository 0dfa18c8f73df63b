import { createHash, randomBytes } from 'node:crypto';
import { Injectable, type ExecutionContext } from '@nestjs/common';
import { AuthGuard, type IAuthModuleOptions } from '@nestjs/passport';
import type { Request } from 'express';
import { DomainError } from '../../../../shared/domain/domain-error';
import { ConsentRefusedError } from '../../domain/consent.errors';
import { PARTNER_CENTER_CONSENT } from './partner-center-consent.strategy';

declare module 'express-session' {
  interface SessionData {
    consent?: { codeVerifier: string; regrantOf?: string };
  }
}

// Starts the consent flow with PKCE (S256) and the account picker, and finishes it with the code verifier.
// passport-azure-ad has no PKCE of its own, but passes extra authorize/token parameters through.
// When Microsoft answers with an error (Cancel, admin approval needed) passport is skipped: the controller
// explains it.
@Injectable()
export class PartnerCenterConsentGuard extends AuthGuard(PARTNER_CENTER_CONSENT) {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    if (request.path.endsWith('/callback') && (typeof request.query.error === 'string' || request.query.admin_consent !== undefined)) return true;
    return (await super.canActivate(context)) as boolean;
  }

  override getAuthenticateOptions(context: ExecutionContext): IAuthModuleOptions & Record<string, unknown> {
    const request = context.switchToHttp().getRequest<Request & { params: { id?: string }; body: { loginHint?: string } }>();
    if (request.path.endsWith('/callback')) {
      return { property: 'consent', extraTokenReqQueryParams: { code_verifier: request.session.consent?.codeVerifier ?? '' } };
    }
    const codeVerifier = randomBytes(32).toString('base64url');
    request.session.consent = { codeVerifier, regrantOf: request.params.id };
    return {
      property: 'consent',
      prompt: 'select_account',
      ...(typeof request.body?.loginHint === 'string' ? { login_hint: request.body.loginHint } : {}),
      extraAuthReqQueryParams: { code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'), code_challenge_method: 'S256' },
    };
  }

  // A failed callback still reaches the controller, as { refused }, so the person gets the consent page's
  // explanation rather than a generic error.
  override handleRequest<T>(error: unknown, result: T, info: unknown): T {
    if (error instanceof ConsentRefusedError) return { refused: error } as T;
    if (error instanceof DomainError) throw error;
    if (error || !result) {
      const message = error instanceof Error ? error.message : typeof info === 'string' ? info : ((info as Error | undefined)?.message ?? '');
      const refused = new ConsentRefusedError(
        'CONSENT.FAILED',
        /state/i.test(message) ? 'This consent link has already been used or has expired, so nothing was saved.' : 'Microsoft’s answer could not be verified, so nothing was saved.',
        'Start Grant Partner Center Consent again, in a single browser tab.',
      );
      return { refused } as T;
    }
    return result;
  }
}
