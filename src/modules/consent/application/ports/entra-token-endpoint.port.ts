export interface RedeemedToken {
  accessToken: string;
  // Microsoft sends a new refresh token on every redemption; absent only if it chose not to.
  refreshToken?: string;
  expiresInSeconds: number;
}

// Microsoft refused the refresh token itself (invalid_grant, consent missing, MFA required…): a person must
// grant consent again. `aadstsCodes` carries Microsoft's codes for the plain-language reason.
export class RefreshTokenRefusedError extends Error {
  constructor(
    readonly error: string,
    readonly aadstsCodes: number[],
  ) {
    super(`Microsoft refused the refresh token (${error}${aadstsCodes.length ? `, AADSTS${aadstsCodes.join(', AADSTS')}` : ''})`);
    this.name = 'RefreshTokenRefusedError';
  }
}

// Entra ID's token endpoint, as the token vault needs it. Other failures (network, 5xx, throttling) are thrown
// as MicrosoftUnavailableError.
export abstract class EntraTokenEndpoint {
  abstract redeemRefreshToken(input: { tenant: string; refreshToken: string; scope: string }): Promise<RedeemedToken>;
}
