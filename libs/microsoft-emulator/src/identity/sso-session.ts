import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { readCookie } from '../http/cookies';
import type { User } from '../scenario/scenario';
import type { EmulatorState } from '../state/emulator-state';
import type { SsoAccount, SsoSession } from './identity-state';
import { hashToken } from './token-issuer';

// Entra's session cookie name. SameSite=None because form_post and the redirect back to the app
// are cross-site; that in turn requires Secure.
const COOKIE = 'ESTSAUTH';
const COOKIE_OPTIONS = { secure: true, httpOnly: true, sameSite: 'none', path: '/' } as const;

export function currentSession(state: EmulatorState, req: Request): SsoSession | undefined {
  const value = readCookie(req, COOKIE);
  return value ? state.identity.ssoSessions.get(hashToken(value)) : undefined;
}

// Accounts of this browser that may sign in here: all of them on common/organizations, only the
// directory's own users on a tenant endpoint.
export function eligibleAccounts(state: EmulatorState, req: Request, tenantId: string | undefined): { account: SsoAccount; user: User }[] {
  const session = currentSession(state, req);
  if (!session) return [];
  return session.accounts.flatMap((account) => {
    const user = state.findUserById(account.userId);
    return user && (!tenantId || user.tenantId === tenantId) ? [{ account, user }] : [];
  });
}

// Called once the user has proven who they are (password, and MFA when required).
export function rememberSignIn(state: EmulatorState, req: Request, res: Response, userId: string, mfa: boolean): void {
  let session = currentSession(state, req);
  if (!session) {
    const value = randomBytes(32).toString('base64url');
    session = { hash: hashToken(value), accounts: [] };
    state.identity.ssoSessions.set(session.hash, session);
    res.cookie(COOKIE, value, COOKIE_OPTIONS);
  }
  session.accounts = [{ userId, mfa, authTime: state.now() }, ...session.accounts.filter((account) => account.userId !== userId)];
  state.persist();
}

export function markAccountUsed(state: EmulatorState, req: Request, userId: string): void {
  const session = currentSession(state, req);
  const account = session?.accounts.find((candidate) => candidate.userId === userId);
  if (!session || !account) return;
  session.accounts = [account, ...session.accounts.filter((candidate) => candidate !== account)];
  state.persist();
}

export function endSession(state: EmulatorState, req: Request, res: Response): void {
  const session = currentSession(state, req);
  if (session) {
    state.identity.ssoSessions.delete(session.hash);
    state.persist();
  }
  res.clearCookie(COOKIE, COOKIE_OPTIONS);
}

export function forgetUserSessions(state: EmulatorState, userId: string): void {
  for (const session of state.identity.ssoSessions.values()) {
    session.accounts = session.accounts.filter((account) => account.userId !== userId);
    if (session.accounts.length === 0) state.identity.ssoSessions.delete(session.hash);
  }
}
