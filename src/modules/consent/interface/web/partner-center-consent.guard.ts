import { createHash, randomBytes } from 'node:crypto';
import { Injectable, type ExecutionContext } from '@nestjs/common';
import { AuthGuard, type IAuthModuleOptions } from '@nestjs/passport';
import type { Request } from 'express';
import { DomainError } from '../../../../shared/domain/domain-error';
import type { RequestWithActor } from '../../../../shared/interface/web/request-actor';
import { DelegatedAdminRepository } from '../../application/ports/delegated-admin.repository';
import { ConsentRefusedError, DelegatedAdminNotFoundError } from '../../domain/consent.errors';
import { CONSENT_SESSION_KEY, CONSENT_TOKEN_SCOPE, PARTNER_CENTER_CONSENT } from './partner-center-consent.strategy';
import { isGuid } from '../../../../shared/domain/guid';

declare module 'express-session' {
  interface SessionData {
    consent?: { codeVerifier: string; regrantOf?: string };
    adminConsentState?: string;
  }
}

export class ConsentCallbackForgedError extends DomainError {
  readonly code = 'CONSENT.CALLBACK_FORBIDDEN';
  constructor() {
    super(
      'This answer from Microsoft does not belong to a consent you started here, so it was ignored.',
      'Start Grant Partner Center Consent again from the Delegated Admin tab.',
    );
  }
}

// Starts the consent flow with PKCE (S256) and the account picker, and finishes it with the code verifier.
// passport-azure-ad has no PKCE of its own, but passes extra authorize/token parameters through.
// Microsoft's error answers (Cancel, admin approval needed) and the admin-consent answer skip passport; their
// `state` is still checked against the one this session issued, so a forged link changes nothing.
@Injectable()
export class PartnerCenterConsentGuard extends AuthGuard(PARTNER_CENTER_CONSENT) {
  constructor(private readonly admins: DelegatedAdminRepository) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithActor & { params: { id?: string } }>();
    if (request.path.endsWith('/callback')) {
      const state = typeof request.query.state === 'string' ? request.query.state : '';
      if (request.session.adminConsentState && state === request.session.adminConsentState) return true;
      if (typeof request.query.error === 'string') {
        if (!takeIssuedState(request, state)) throw new ConsentCallbackForgedError();
        return true;
      }
    } else if (request.params.id !== undefined) {
      // Re-grant: the connection must exist in this organization before anyone is sent to Microsoft.
      const id = request.params.id;
      if (!isGuid(id) || !(await this.admins.findById(request.actor!.organizationId, id))) throw new DelegatedAdminNotFoundError();
    }
    return (await super.canActivate(context)) as boolean;
  }

  override getAuthenticateOptions(context: ExecutionContext): IAuthModuleOptions & Record<string, unknown> {
    const request = context.switchToHttp().getRequest<Request & { params: { id?: string }; body: { loginHint?: string } }>();
    if (request.path.endsWith('/callback')) {
      return {
        property: 'consent',
        extraTokenReqQueryParams: { code_verifier: request.session.consent?.codeVerifier ?? '', scope: CONSENT_TOKEN_SCOPE },
      };
    }
    const codeVerifier = randomBytes(32).toString('base64url');
    request.session.consent = { codeVerifier, regrantOf: request.params.id };
    return {
      property: 'consent',
      prompt: 'select_account',
      ...(typeof request.body?.loginHint === 'string' ? { login_hint: request.body.loginHint } : {}),
      extraAuthReqQueryParams: {
        code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
        code_challenge_method: 'S256',
      },
    };
  }

  // A failed callback still reaches the controller, as { refused }, so the person gets the consent page's
  // explanation rather than a generic error.
  override handleRequest<T>(error: unknown, result: T, info: unknown): T {
    if (error instanceof ConsentRefusedError) return { refused: error } as T;
    if (error instanceof DomainError) throw error;
    if (error || !result) {
      const message =
        error instanceof Error ? error.message : typeof info === 'string' ? info : ((info as Error | undefined)?.message ?? '');
      const refused = new ConsentRefusedError(
        'CONSENT.FAILED',
        /state/i.test(message)
          ? 'This consent link has already been used or has expired, so nothing was saved.'
          : 'Microsoft’s answer could not be verified, so nothing was saved.',
        'Start Grant Partner Center Consent again, in a single browser tab.',
      );
      return { refused } as T;
    }
    return result;
  }
}

// passport-azure-ad keeps the states it issued in the session (`content`: {state, nonce, …} tuples); an error
// answer is genuine only if it carries one of them, which is then used up.
function takeIssuedState(request: Request, state: string): boolean {
  const slot = (request.session as unknown as Record<string, { content?: { state: string }[] } | undefined>)[CONSENT_SESSION_KEY];
  const index = slot?.content?.findIndex((tuple) => tuple.state === state) ?? -1;
  if (!state || index < 0) return false;
  slot!.content!.splice(index, 1);
  return true;
}
