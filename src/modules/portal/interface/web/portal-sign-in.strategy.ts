import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { OIDCStrategy } from 'passport-azure-ad';
import { AppConfig } from '../../../../config/app-config';
import { microsoftIdentity, type MicrosoftIdentityClaims } from '../../../../shared/application/microsoft-identity';
import { microsoftOidcOptions } from '../../../../shared/interface/web/microsoft-oidc';
import { PortalSignInFailedError } from '../../domain/portal.errors';

export const PORTAL_SIGN_IN = 'portal-sign-in';
// Its own state/nonce slot in the session: a state issued for the dashboard's or the consent's sign-in is never
// accepted here, and the other way round.
export const PORTAL_SESSION_KEY = 'oidc:portal';

export interface PortalCallbackResult {
  identity: MicrosoftIdentityClaims;
  // A Graph token (User.Read) of the person, used once to tell a partner's staff from a customer's people.
  accessToken: string | undefined;
}

// Sign-in of a customer tenant's people to the licence portal: a third OIDC strategy beside the dashboard's and
// the consent's, asking only for the person's basic profile (user consent, no admin needed).
@Injectable()
export class PortalSignInStrategy extends PassportStrategy(OIDCStrategy, PORTAL_SIGN_IN, true) {
  constructor(private readonly config: AppConfig) {
    // Graph only, at /authorize and (passport-azure-ad sends them again) at /token: FACTS.md §7a.1.
    super(microsoftOidcOptions(config, PORTAL_SESSION_KEY, '/portal/auth/callback', ['profile', 'email', 'User.Read']));
  }

  // Arity 8 (+ req): passport-azure-ad passes the verified id_token claims and the token response.
  async validate(
    _request: Request,
    _iss: string,
    _sub: string,
    _profile: unknown,
    claims: Record<string, unknown>,
    accessToken: string | undefined,
    _refreshToken: string | undefined,
    _params: unknown,
  ): Promise<PortalCallbackResult> {
    const identity = microsoftIdentity(claims, this.config.microsoft.loginBaseUrl);
    if (!identity) {
      throw new PortalSignInFailedError(
        'Microsoft’s answer did not come from the organization it claims to be from, or names no user, so it was not accepted.',
        'Sign in again with your work account (personal Microsoft accounts cannot sign in).',
      );
    }
    return { identity, accessToken };
  }
}
