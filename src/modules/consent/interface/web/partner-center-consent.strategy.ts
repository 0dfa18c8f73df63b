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
const PARTNER_CENTER_USER_IMPERSONATION = 'https://api.partnercenter.microsoft.com/user_impersonation';
// The token endpoint takes one resource's scopes at a time (FACTS.md §0.5); passport-azure-ad would send the
// authorize scopes, so the callback overrides them.
export const CONSENT_TOKEN_SCOPE = `openid profile offline_access ${PARTNER_CENTER_USER_IMPERSONATION}`;

export type ConsentCallbackResult =
  | { account: { partnerTenantId: string; objectId: string; userPrincipalName: string; displayName: string }; partnerCenterAccessToken: string; refreshToken: string | undefined }
  | { refused: ConsentRefusedError };

// The Grant Partner Center Consent flow: a second OIDC strategy, separate from dashboard sign-in, with
// offline_access for the refresh token. PKCE and the account picker are added per request by
// PartnerCenterConsentGuard.
@Injectable()
export class PartnerCenterConsentStrategy extends PassportStrategy(OIDCStrategy, PARTNER_CENTER_CONSENT, true) {
  constructor(private readonly config: AppConfig) {
    // At /authorize the consent also covers the app's Graph permissions (`.default`: reading GDAP relationships
    // and customers' licences later); the code is redeemed for Partner Center alone (CONSENT_TOKEN_SCOPE).
    super(microsoftOidcOptions(config, CONSENT_SESSION_KEY, '/consent/callback', ['profile', 'offline_access', PARTNER_CENTER_USER_IMPERSONATION, 'https://graph.microsoft.com/.default']));
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
      throw new ConsentRefusedError('CONSENT.FAILED', 'Microsoft’s answer could not be verified, so nothing was saved.', 'Start Grant Partner Center Consent again.');
    }
    return {
      account: { partnerTenantId: identity.tenantId, objectId: identity.objectId, userPrincipalName: identity.userPrincipalName, displayName: identity.displayName },
      partnerCenterAccessToken: accessToken,
      refreshToken,
    };
  }
}
