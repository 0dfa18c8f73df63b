import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { OIDCStrategy } from 'passport-azure-ad';
import { AppConfig } from '../../../../config/app-config';
import { microsoftIdentity } from '../../../../shared/application/microsoft-identity';
import { microsoftOidcOptions } from '../../../../shared/interface/web/microsoft-oidc';
import { ConsentRefusedError } from '../../domain/consent.errors';

export const PARTNER_CENTER_CONSENT = 'partner-center-consent';
export const CONSENT_SESSION_KEY = 'oidc:consent';
// Entra refuses `.default` beside any other resource scope (AADSTS70011) and a /token request naming two resources
// (AADSTS28000), FACTS.md §7a.1. `.default` of one resource at /authorize asks for every static permission of the
// app registration, across resources: Partner Center user_impersonation and the Graph permissions in one prompt
// (the README's production set-up lists them). The code is then redeemed for Partner Center alone; Graph tokens
// come from the refresh token, one resource per request (MicrosoftTokenVault).
export const CONSENT_DEFAULT_SCOPE = 'https://api.partnercenter.microsoft.com/.default';
// passport-azure-ad sends the authorize scopes to /token too unless told otherwise: the callback names them
// explicitly (PartnerCenterConsentGuard), so adding an authorize scope can never widen the token request.
export const CONSENT_TOKEN_SCOPE = `openid profile offline_access ${CONSENT_DEFAULT_SCOPE}`;

export type ConsentCallbackResult =
  | {
      account: { partnerTenantId: string; objectId: string; userPrincipalName: string; displayName: string };
      partnerCenterAccessToken: string;
      refreshToken: string | undefined;
    }
  | { refused: ConsentRefusedError };

// The Grant Partner Center Consent flow: a second OIDC strategy, separate from dashboard sign-in, with
// offline_access for the refresh token. PKCE and the account picker are added per request by
// PartnerCenterConsentGuard.
@Injectable()
export class PartnerCenterConsentStrategy extends PassportStrategy(OIDCStrategy, PARTNER_CENTER_CONSENT, true) {
  constructor(private readonly config: AppConfig) {
    // openid is added by passport-azure-ad; nothing else may join `.default` here (see CONSENT_DEFAULT_SCOPE).
    super(microsoftOidcOptions(config, CONSENT_SESSION_KEY, '/consent/callback', ['profile', 'offline_access', CONSENT_DEFAULT_SCOPE]));
  }

  async validate(
    _request: Request,
    _iss: string,
    _sub: string,
    _profile: unknown,
    claims: Record<string, unknown>,
    accessToken: string | undefined,
    refreshToken: string | undefined,
    _params: unknown,
  ): Promise<ConsentCallbackResult> {
    const identity = microsoftIdentity(claims, this.config.microsoft.loginBaseUrl);
    if (!identity || !accessToken) {
      throw new ConsentRefusedError(
        'CONSENT.FAILED',
        'Microsoft’s answer could not be verified, so nothing was saved.',
        'Start Grant Partner Center Consent again.',
      );
    }
    return {
      account: {
        partnerTenantId: identity.tenantId,
        objectId: identity.objectId,
        userPrincipalName: identity.userPrincipalName,
        displayName: identity.displayName,
      },
      partnerCenterAccessToken: accessToken,
      refreshToken,
    };
  }
}
