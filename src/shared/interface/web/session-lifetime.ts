import type { Request } from 'express';

// A signed-in session ends after 12 hours without a request (the cookie's rolling maxAge), and 24 hours after
// sign-in however active it is (RequestAuthGuard). A session that only carries a sign-in in progress (state,
// nonce, where to return) lives 10 minutes, so a flood of sign-in starts leaves no long-lived rows.
export const SESSION_IDLE_LIFETIME_MS = 12 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_LIFETIME_MS = 24 * 60 * 60 * 1000;
const SIGN_IN_IN_PROGRESS_LIFETIME_MS = 10 * 60 * 1000;

// Called where a Microsoft sign-in starts: a session that holds nothing yet (the one passport-azure-ad is about
// to fill with state and nonce) expires soon; the sign-in regenerates it with the full lifetime once it succeeds.
export function shortLivedUntilSignedIn(request: Request): void {
  const holdsNothing = request.session && Object.keys(request.session).every((key) => key === 'cookie');
  if (holdsNothing) request.session.cookie.maxAge = SIGN_IN_IN_PROGRESS_LIFETIME_MS;
}

// Only a path on this site: never an absolute URL (no open redirect after sign-in).
export function safeReturnPath(value: unknown, fallback = '/'): string {
  return typeof value === 'string' &&
    value.startsWith('/') &&
    !value.startsWith('//') &&
    !value.startsWith('/\\') &&
    !value.startsWith('/auth/')
    ? value
    : fallback;
}
