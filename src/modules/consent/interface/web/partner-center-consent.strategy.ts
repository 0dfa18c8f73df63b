import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { OIDCStrategy } from 'passport-azure-ad';
import { AppConfig } from '../../../../config/app-config';
import { microsoftIdentity, microsoftOidcOptions } from '../../../../shared/interface/web/microsoft-oidc';
import { ConsentRefusedError } from '../../domain/consent.errors';

export const PARTNER_CENTER_CONSENT = 'partner-center-consent';
export const CONSENT_SESSION_KEY = 'oidc:consent';

export type ConsentCallbackResult =
  | { account: { partnerTenantId: string; objectId: string; userPrincipalName: string; displayName: string }; partnerCenterAccessToken: string; refreshToken: string | undefined }
  | { refused: ConsentRefusedError };

// The Grant Partner Center Consent flow: a second OIDC strategy, separate from dashboard sign-in, asking for
// Partner Center only (one resource at the token endpoint, FACTS.md §0.5) plus offline_access for the refresh
// token. PKCE and the account picker are added per request by PartnerCenterConsentGuard.
@Injectable()
export class PartnerCenterConsentStrategy extends PassportStrategy(OIDCStrategy, PARTNER_CENTER_CONSENT, true) {
  constructor(private readonly config: AppConfig) {
    super(microsoftOidcOptions(config, CONSENT_SESSION_KEY, '/consent/callback', ['profile', 'offline_access', 'https://api.partnercenter.microsoft.com/user_impersonation']));
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
