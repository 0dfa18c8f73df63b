import { Injectable } from '@nestjs/common';
import { EntraTokenClient, EntraTokenError, MicrosoftApiError } from '../../../../../libs/microsoft/src';
import { AppConfig } from '../../../../config/app-config';
import { MicrosoftUnavailableError } from '../../../../shared/domain/microsoft-unavailable.error';
import { EntraTokenEndpoint, RefreshTokenRefusedError, type RedeemedToken } from '../../application/ports/entra-token-endpoint.port';

// OAuth `error` values that mean the user's grant itself no longer works (a person must consent again), as
// opposed to our own configuration (invalid_client) or Microsoft being unavailable.
const GRANT_REFUSALS = new Set(['invalid_grant', 'interaction_required', 'consent_required', 'login_required']);

@Injectable()
export class EntraTokenEndpointAdapter extends EntraTokenEndpoint {
  private readonly client: EntraTokenClient;

  constructor(config: AppConfig) {
    super();
    this.client = new EntraTokenClient({
      loginBaseUrl: config.microsoft.loginBaseUrl,
      clientId: config.microsoft.clientId,
      clientSecret: config.microsoft.clientSecret,
    });
  }

  async redeemRefreshToken(input: { tenant: string; refreshToken: string; scope: string }): Promise<RedeemedToken> {
    try {
      const tokens = await this.client.redeemRefreshToken(input);
      return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresInSeconds: tokens.expiresIn };
    } catch (error) {
      if (error instanceof EntraTokenError && GRANT_REFUSALS.has(error.error))
        throw new RefreshTokenRefusedError(error.error, error.aadstsCodes);
      if (error instanceof EntraTokenError)
        throw new MicrosoftUnavailableError(
          'Microsoft Entra ID',
          `${error.error}${error.aadstsCodes.length ? `, AADSTS${error.aadstsCodes[0]}` : ''}`,
        );
      if (error instanceof MicrosoftApiError) throw new MicrosoftUnavailableError('Microsoft Entra ID', error.code);
      throw error;
    }
  }
}
