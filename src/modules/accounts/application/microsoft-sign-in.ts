import { microsoftIdentity } from '../../../shared/application/microsoft-identity';
import { aadstsCodesIn, microsoftRefusal } from '../../../shared/application/microsoft-refusals';
import { SignInFailedError } from '../domain/accounts.errors';
import type { MicrosoftIdentity } from '../domain/staff-user';

// passport-azure-ad verified signature, audience, nonce and lifetime; the issuer is checked against `tid` here.
export function identityFromIdToken(claims: Record<string, unknown>, loginBaseUrl: string): MicrosoftIdentity {
  const identity = microsoftIdentity(claims, loginBaseUrl);
  if (!identity) {
    throw new SignInFailedError(
      'Microsoft’s answer did not come from the directory it claims to be from, or names no user, so it was not accepted.',
      'Start the sign-in again with a work account of your organization (personal Microsoft accounts cannot sign in). If this keeps happening, check that MS_LOGIN_BASE_URL points at Microsoft Entra ID.',
    );
  }
  return identity;
}

// Turns what Microsoft or passport-azure-ad said about a failed sign-in into words the user can act on: Microsoft's
// own refusals from the one table of them (by AADSTS code, never the description's wording), passport's by kind.
export function describeSignInFailure(input: { error?: string; errorDescription?: string; message?: string }): SignInFailedError {
  const known = microsoftRefusal('sign-in', {
    codes: aadstsCodesIn(`${input.errorDescription ?? ''} ${input.message ?? ''}`),
    error: input.error,
  });
  if (known) return new SignInFailedError(known.reason, known.fix);
  if (input.error) {
    const error = /^[a-z_]{1,40}$/.test(input.error) ? input.error : 'error';
    return new SignInFailedError(
      `Microsoft did not sign you in (${error}).`,
      'Try again. If it keeps failing, ask your Microsoft 365 administrator to check the sign-in logs in Microsoft Entra ID.',
    );
  }
  const message = input.message ?? '';
  if (/state/i.test(message)) {
    return new SignInFailedError(
      'This sign-in link has already been used or has expired.',
      'Start again from the sign-in page, in a single browser tab.',
    );
  }
  if (/nonce/i.test(message)) {
    return new SignInFailedError(
      'Microsoft’s answer does not belong to this sign-in attempt, so it was not accepted.',
      'Start again from the sign-in page.',
    );
  }
  if (/audience|issuer|signature|expired|jwt|token/i.test(message)) {
    return new SignInFailedError(
      'Microsoft’s answer could not be verified for Sync 365, so it was not accepted.',
      'Start again. If this keeps happening, an administrator should check MS_CLIENT_ID and MS_LOGIN_BASE_URL.',
    );
  }
  return new SignInFailedError('We could not sign you in with Microsoft.', 'Start again from the sign-in page.');
}
