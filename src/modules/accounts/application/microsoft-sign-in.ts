import { microsoftIdentity } from '../../../shared/application/microsoft-identity';
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

// Turns what Microsoft or passport-azure-ad said about a failed sign-in into words the user can act on.
// Microsoft asks us to branch on AADSTS codes, never on the description text (FACTS.md §1.5).
export function describeSignInFailure(input: { error?: string; errorDescription?: string; message?: string }): SignInFailedError {
  const text = `${input.errorDescription ?? ''} ${input.message ?? ''}`;
  const aadsts = /AADSTS(\d+)/.exec(text)?.[1];
  const known = aadsts ? AADSTS_REASONS[aadsts] : undefined;
  if (known) return new SignInFailedError(known[0], known[1]);
  if (input.error === 'access_denied') return new SignInFailedError(...AADSTS_REASONS['65004']);
  if (input.error) {
    const error = /^[a-z_]{1,40}$/.test(input.error) ? input.error : 'error';
    return new SignInFailedError(`Microsoft did not sign you in (${error}).`, 'Try again. If it keeps failing, ask your Microsoft 365 administrator to check the sign-in logs in Microsoft Entra ID.');
  }
  const message = input.message ?? '';
  if (/state/i.test(message)) {
    return new SignInFailedError('This sign-in link has already been used or has expired.', 'Start again from the sign-in page, in a single browser tab.');
  }
  if (/nonce/i.test(message)) {
    return new SignInFailedError('Microsoft’s answer does not belong to this sign-in attempt, so it was not accepted.', 'Start again from the sign-in page.');
  }
  if (/audience|issuer|signature|expired|jwt|token/i.test(message)) {
    return new SignInFailedError('Microsoft’s answer could not be verified for Sync 365, so it was not accepted.', 'Start again. If this keeps happening, an administrator should check MS_CLIENT_ID and MS_LOGIN_BASE_URL.');
  }
  return new SignInFailedError('We could not sign you in with Microsoft.', 'Start again from the sign-in page.');
}

const AADSTS_REASONS: Record<string, [string, string]> = {
  '65004': ['You declined the permissions Sync 365 asked for, so you were not signed in.', 'Sign in again and choose Accept on Microsoft’s permissions page.'],
  '90094': ['Your organization lets only administrators approve new apps, and Sync 365 has not been approved yet.', 'Ask a global administrator of your Microsoft 365 tenant to sign in to Sync 365 once and approve it for the organization.'],
  '90095': ['Your organization lets only administrators approve new apps, and Sync 365 has not been approved yet.', 'Ask a global administrator of your Microsoft 365 tenant to sign in to Sync 365 once and approve it for the organization.'],
  '50105': ['Your account is not assigned to Sync 365 in your organization.', 'Ask your Microsoft 365 administrator to assign you to the Sync 365 enterprise application.'],
  '53003': ['Your organization’s Conditional Access policies blocked this sign-in.', 'Ask your Microsoft 365 administrator to review the Conditional Access sign-in log for Sync 365.'],
  '700016': ['Sync 365 is not registered in Microsoft Entra ID with the configured application ID.', 'An administrator must check MS_CLIENT_ID.'],
  '7000215': ['Microsoft refused Sync 365’s client secret.', 'An administrator must set MS_CLIENT_SECRET to the secret’s value (not its ID) from the app registration.'],
  '7000222': ['Sync 365’s client secret has expired.', 'An administrator must create a new client secret in the app registration and set MS_CLIENT_SECRET.'],
  '54005': ['This sign-in was already completed once.', 'Start again from the sign-in page.'],
  '70008': ['The sign-in took too long and expired.', 'Start again from the sign-in page.'],
  '50011': ['Sync 365’s sign-in address is not registered with Microsoft.', 'An administrator must add APP_BASE_URL/auth/callback as a redirect URI of the app registration.'],
};
