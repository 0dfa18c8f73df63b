import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { OIDCStrategy } from 'passport-azure-ad';
import { AppConfig } from '../../../../config/app-config';
import { ConsentRefusedError } from '../../domain/consent.errors';

export const PARTNER_CENTER_CONSENT = 'partner-center-consent';

export interface ConsentCallbackResult {
  account: { partnerTenantId: string; objectId: string; userPrincipalName: string; displayName: string };
  partnerCenterAccessToken: string;
  refreshToken: string | undefined;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The Grant Partner Center Consent flow: a second OIDC strategy, separate from dashboard sign-in, asking for
// Partner Center only (one resource at the token endpoint, FACTS.md §0.5) plus offline_access for the refresh
// token. PKCE and the account picker are added per request by PartnerCenterConsentGuard.
@Injectable()
export class PartnerCenterConsentStrategy extends PassportStrategy(OIDCStrategy, PARTNER_CENTER_CONSENT, true) {
  constructor(private readonly config: AppConfig) {
    super({
      identityMetadata: `${config.microsoft.loginBaseUrl}/common/v2.0/.well-known/openid-configuration`,
      clientID: config.microsoft.clientId,
      clientSecret: config.microsoft.clientSecret,
      responseType: 'code',
      responseMode: 'query',
      redirectUrl: `${config.appBaseUrl}/consent/callback`,
      allowHttpForRedirectUrl: config.appBaseUrl.startsWith('http://'),
      // Multi-tenant issuer template: checked against `tid` in validate() (FACTS.md §1.8).
      validateIssuer: false,
      passReqToCallback: true,
      scope: ['profile', 'offline_access', 'https://api.partnercenter.microsoft.com/user_impersonation'],
      loggingLevel: 'error',
      loggingNoPII: true,
      nonceLifetime: 600,
    });
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
    const tid = String(claims.tid ?? '');
    const oid = String(claims.oid ?? '');
    if (!GUID.test(tid) || !GUID.test(oid) || claims.iss !== `${this.config.microsoft.loginBaseUrl}/${tid}/v2.0` || !accessToken) {
      throw new ConsentRefusedError('CONSENT.FAILED', 'Microsoft’s answer could not be verified, so nothing was saved.', 'Start Grant Partner Center Consent again.');
    }
    const upn = String(claims.preferred_username ?? claims.upn ?? oid);
    return {
      account: { partnerTenantId: tid.toLowerCase(), objectId: oid.toLowerCase(), userPrincipalName: upn, displayName: String(claims.name ?? upn) },
      partnerCenterAccessToken: accessToken,
      refreshToken,
    };
  }
}
