import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { OIDCStrategy } from 'passport-azure-ad';
import { AppConfig } from '../../../../config/app-config';
import { microsoftOidcOptions } from '../../../../shared/interface/web/microsoft-oidc';
import type { SessionPrincipal } from '../../../../shared/interface/web/request-actor';
import { identityFromIdToken } from '../../application/microsoft-sign-in';
import { SignInStaffUserUseCase } from '../../application/sign-in-staff-user.use-case';

export const MICROSOFT_SIGN_IN = 'microsoft-sign-in';

// Dashboard sign-in.
@Injectable()
export class MicrosoftSignInStrategy extends PassportStrategy(OIDCStrategy, MICROSOFT_SIGN_IN, true) {
  constructor(
    private readonly config: AppConfig,
    private readonly signIn: SignInStaffUserUseCase,
  ) {
    // One resource only (Graph) besides the OpenID scopes: User.Read lets us read the directory's name. passport-azure-ad
    // sends the same scopes to /token, where Entra takes one resource's (AADSTS28000 otherwise, FACTS.md §7a.1); no
    // `.default` here, which would ask the signing-in person for the whole registration (Partner Center included).
    super(microsoftOidcOptions(config, 'oidc:sign-in', '/auth/callback', ['profile', 'email', 'User.Read']));
  }

  // Arity 8 (+ req): passport-azure-ad passes the verified id_token claims and the token response.
  async validate(
    request: Request,
    _iss: string,
    _sub: string,
    _profile: unknown,
    claims: Record<string, unknown>,
    accessToken: string | undefined,
    _refreshToken: string | undefined,
    _params: unknown,
  ): Promise<SessionPrincipal> {
    const identity = identityFromIdToken(claims, this.config.microsoft.loginBaseUrl);
    const { userId, organizationId } = await this.signIn.execute(identity, accessToken, request.session?.invitationId);
    return { userId, organizationId };
  }
}
