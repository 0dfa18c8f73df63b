import { randomBytes, randomUUID } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { DEMO_MFA_CODE } from '../scenario/demo.scenario';
import type { User } from '../scenario/scenario';
import type { RouteRegistrar } from '../http/route-hooks';
import type { EmulatorState } from '../state/emulator-state';
import { aadErrorContext, aadErrorDescription } from './aad-error';
import { param, validateAuthorizeRequest, type AuthorizeFailure, type ClientTarget } from './authorize-request';
import { CODE_LIFETIME_MS, type LoginTransaction } from './identity-state';
import { accountPickerPage } from './pages/account-picker.page';
import { adminApprovalPage } from './pages/admin-approval.page';
import { consentPage } from './pages/consent.page';
import { errorPage } from './pages/error.page';
import { formPostPage } from './pages/form-post.page';
import { mfaPage } from './pages/mfa.page';
import { signInPage } from './pages/sign-in.page';
import { signedOutPage } from './pages/signed-out.page';
import { allGranted, consentDisplayName, consentScopes, isOidcScope, type Scope } from './scopes';
import type { AuthorizeRequest } from './authorize-request';
import { eligibleAccounts, endSession, markAccountUsed, rememberSignIn } from './sso-session';
import { issueIdToken } from './token-issuer';
import { resolveTenant } from './tenants';

const TRANSACTION_LIFETIME_MS = 60 * 60 * 1000;
const WRONG_PASSWORD = 'Your account or password is incorrect.';
const WRONG_CODE = "You didn't enter the expected verification code. Please try again.";

interface Exchange {
  state: EmulatorState;
  req: Request;
  res: Response;
}

export function registerAuthorizeRoutes(router: RouteRegistrar, state: EmulatorState): void {
  const form = express.urlencoded({ extended: false });

  router.get('/:tenant/oauth2/v2.0/authorize', (req, res) => {
    const ex = { state, req, res };
    const validation = validateAuthorizeRequest(state, String(req.params.tenant), req.query as Record<string, unknown>);
    if (!validation.ok) {
      if (validation.target) return sendToClient(ex, validation.target, errorParams(ex, validation, validation.target));
      return showErrorPage(ex, validation.code, validation.message);
    }
    const tx: LoginTransaction = {
      id: randomBytes(24).toString('base64url'),
      request: validation.request,
      mfaDone: false,
      ipaddr: clientIp(req),
      createdAt: state.now(),
    };
    forgetAbandonedTransactions(state);
    state.identity.transactions.set(tx.id, tx);
    beginSignIn(ex, tx);
  });

  router.post('/:tenant/login', form, (req, res) => {
    const ex = { state, req, res };
    const tx = loadTransaction(ex);
    if (!tx) return;
    const username = param(req.body, 'username') ?? '';
    const user = state.findUserByUpn(username);
    if (!user || user.password !== (param(req.body, 'password') ?? '')) {
      return showSignIn(ex, tx, { username, error: WRONG_PASSWORD });
    }
    if (tx.request.tenantId && user.tenantId !== tx.request.tenantId) {
      const tenant = state.findTenantById(tx.request.tenantId);
      const app = state.findApp(tx.request.clientId);
      return showSignIn(ex, tx, {
        username,
        error: `AADSTS50020: User account '${user.userPrincipalName}' from identity provider 'https://sts.windows.net/${user.tenantId}/' does not exist in tenant '${tenant?.displayName}' and cannot access the application '${app?.clientId}'(${app?.displayName}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.`,
      });
    }
    tx.userId = user.id;
    // A fresh password sign-in asks for a fresh second factor too.
    tx.mfaDone = !user.mfa;
    if (!user.mfa) rememberSignIn(state, req, res, user.id, false);
    continueSignIn(ex, tx);
  });

  router.post('/:tenant/login/mfa', form, (req, res) => {
    const ex = { state, req, res };
    const tx = loadTransaction(ex);
    const user = tx && signedInUser(ex, tx);
    if (!tx || !user) return;
    if ((param(req.body, 'otp') ?? '').trim() !== DEMO_MFA_CODE) {
      return showMfa(ex, tx, user, WRONG_CODE);
    }
    tx.mfaDone = true;
    rememberSignIn(state, req, res, user.id, true);
    continueSignIn(ex, tx);
  });

  router.post('/:tenant/login/account', form, (req, res) => {
    const ex = { state, req, res };
    const tx = loadTransaction(ex);
    if (!tx) return;
    const chosen = eligibleAccounts(state, req, tx.request.tenantId).find(({ account }) => account.userId === param(req.body, 'account'));
    if (!chosen) return showSignIn(ex, tx, {});
    useSessionAccount(ex, tx, chosen.account.userId, chosen.account.mfa);
  });

  router.post('/:tenant/login/consent', form, (req, res) => {
    const ex = { state, req, res };
    const tx = loadTransaction(ex);
    const user = tx && signedInUser(ex, tx);
    if (!tx || !user) return;
    if (!tx.mfaDone) return showMfa(ex, tx, user);
    const decision = param(req.body, 'decision');
    if (decision === 'switch') {
      // "Have an admin account?": the same request, signed in by someone else.
      tx.userId = undefined;
      tx.mfaDone = false;
      return showSignIn(ex, tx, {});
    }
    if (tx.adminConsent) return finishAdminConsent(ex, tx, user, decision === 'accept');
    if (decision === 'accept' && needsAdminApproval(state, user)) return showAdminApproval(ex, tx, user);
    state.identity.transactions.delete(tx.id);
    if (decision !== 'accept') {
      const target = clientTarget(tx);
      // From "Need admin approval", the way back to the app says the grant needed an admin.
      const declined = needsAdminApproval(state, user)
        ? { error: 'access_denied', code: 90094, message: 'The grant requires admin permission.' }
        : { error: 'access_denied', code: 65004, message: 'User declined to consent to access the app.' };
      return sendToClient(ex, target, errorParams(ex, declined, target));
    }
    const consented = consentScopes(tx.request.scopes, tx.request.staticConsent);
    if (isGlobalAdministrator(user) && param(req.body, 'consent_for_organization') === 'true') {
      state.identity.grantForTenant(user.tenantId, tx.request.clientId, consented);
    } else {
      state.identity.grant(user.id, tx.request.clientId, consented);
    }
    state.persist();
    completeSignIn(ex, tx, user);
  });

  // v2-admin-consent.md: an admin signs in and consents for the whole directory; the app gets
  // ?admin_consent=True&tenant=...&scope=...&state=... back (or an error).
  router.get('/:tenant/v2.0/adminconsent', (req, res) => {
    const ex = { state, req, res };
    const query = req.query as Record<string, unknown>;
    const validation = validateAuthorizeRequest(state, String(req.params.tenant), {
      client_id: query.client_id,
      redirect_uri: query.redirect_uri,
      response_type: 'code',
      scope: query.scope ?? 'openid',
      state: query.state,
    });
    if (!validation.ok && !validation.target) return showErrorPage(ex, validation.code, validation.message);
    const target = (!validation.ok && validation.target) || {
      redirectUri: String(query.redirect_uri),
      responseMode: 'query' as const,
      state: param(query, 'state'),
    };
    const rawScope = param(query, 'scope');
    // The same scope rules as /authorize (unknown scopes, `.default` beside other resource scopes: AADSTS70011).
    if (!rawScope || !validation.ok) {
      const failure = !rawScope
        ? { error: 'invalid_request', code: 900144, message: "The request body must contain the following parameter: 'scope'." }
        : (validation as AuthorizeFailure);
      return sendToClient(ex, target, { admin_consent: 'True', ...errorParams(ex, failure, target) });
    }
    const tx: LoginTransaction = {
      id: randomBytes(24).toString('base64url'),
      request: { ...validation.request, wantsCode: false, wantsIdToken: false, prompt: undefined },
      mfaDone: false,
      ipaddr: clientIp(req),
      createdAt: state.now(),
      adminConsent: { scope: rawScope },
    };
    forgetAbandonedTransactions(state);
    state.identity.transactions.set(tx.id, tx);
    beginSignIn(ex, tx);
  });

  router.get('/:tenant/oauth2/v2.0/logout', (req, res) => {
    endSession(state, req, res);
    const target = param(req.query as Record<string, unknown>, 'post_logout_redirect_uri');
    if (target && isRegisteredOrigin(state, target, param(req.query as Record<string, unknown>, 'client_id'))) {
      return res.redirect(302, target);
    }
    res.set('Cache-Control', 'no-store').type('html').send(signedOutPage());
  });

  // error_uri of every AADSTS error points here (https://login.microsoftonline.com/error?code=...).
  router.get('/error', (req, res) => {
    const code = Number(param(req.query as Record<string, unknown>, 'code') ?? 0);
    const context = aadErrorContext(state, req);
    res.type('html').send(errorPage({ code, message: 'See the error_description of the response for details.', ...context }));
  });
}

// SSO first (unless prompt=login), then the pages the sign-in still needs.
function beginSignIn(ex: Exchange, tx: LoginTransaction): void {
  const { request } = tx;
  const accounts = eligibleAccounts(ex.state, ex.req, request.tenantId);
  const silent = request.prompt === 'none';
  if (request.prompt === 'login') return showSignIn(ex, tx, { username: request.loginHint });
  if (request.prompt === 'select_account') {
    return accounts.length > 0 ? showAccountPicker(ex, tx) : showSignIn(ex, tx, { username: request.loginHint });
  }
  const chosen = pickSessionAccount(accounts, request.loginHint, silent);
  if (chosen) return useSessionAccount(ex, tx, chosen.user.id, chosen.account.mfa);
  if (silent) {
    return failSilently(ex, tx, 'login_required', 50058, 'A silent sign-in request was sent but no user is signed in.');
  }
  if (accounts.length > 1 && !request.loginHint) return showAccountPicker(ex, tx);
  showSignIn(ex, tx, { username: request.loginHint });
}

// Like Entra: a login_hint picks that account; a single account signs in silently; several
// accounts need the picker (prompt=none cannot show one, so it takes the most recent).
function pickSessionAccount<T extends { user: User }>(accounts: T[], loginHint: string | undefined, silent: boolean): T | undefined {
  if (loginHint) return accounts.find(({ user }) => user.userPrincipalName.toLowerCase() === loginHint.toLowerCase());
  return accounts.length === 1 || silent ? accounts[0] : undefined;
}

function useSessionAccount(ex: Exchange, tx: LoginTransaction, userId: string, mfa: boolean): void {
  tx.userId = userId;
  // The session remembers a passed MFA; users without MFA never need one.
  tx.mfaDone = mfa || !ex.state.findUserById(userId)?.mfa;
  markAccountUsed(ex.state, ex.req, userId);
  continueSignIn(ex, tx);
}

function continueSignIn(ex: Exchange, tx: LoginTransaction): void {
  const user = signedInUser(ex, tx);
  if (!user) return;
  const { request } = tx;
  if (!tx.mfaDone) {
    if (request.prompt === 'none') {
      return failSilently(
        ex,
        tx,
        'interaction_required',
        50076,
        'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.',
      );
    }
    return showMfa(ex, tx, user);
  }
  if (tx.adminConsent) return askAdminConsent(ex, tx, user);
  const granted = ex.state.identity.grantedScopesFor(user, request.clientId);
  if (needsConsent(request, granted)) {
    const app = ex.state.findApp(request.clientId);
    if (request.prompt === 'none') {
      return failSilently(
        ex,
        tx,
        'consent_required',
        65001,
        `The user or administrator has not consented to use the application with ID '${request.clientId}' named '${app?.displayName}'. Send an interactive authorization request for this user and resource.`,
      );
    }
    if (needsAdminApproval(ex.state, user)) return showAdminApproval(ex, tx, user);
    return showConsent(ex, tx, user);
  }
  ex.state.identity.transactions.delete(tx.id);
  completeSignIn(ex, tx, user);
}

// Dynamic scopes: asked until every one is granted. `.default` keeps the v1 endpoint's behaviour (scopes-oidc,
// "The /.default scope"): a consent prompt only while nothing of that resource is granted to the app yet, or on
// prompt=consent; the prompt then lists every static permission of the registration.
function needsConsent(request: AuthorizeRequest, granted: Scope[]): boolean {
  if (request.prompt === 'consent') return true;
  if (!request.staticConsent) return !allGranted(request.scopes, granted);
  const oidc = request.scopes.filter(isOidcScope);
  return !allGranted(oidc, granted) || !request.scopes.some((scope) => !isOidcScope(scope) && granted.includes(scope));
}

function completeSignIn(ex: Exchange, tx: LoginTransaction, user: User): void {
  const { state } = ex;
  const { request } = tx;
  const params: Record<string, string> = {};
  let code: string | undefined;
  if (request.wantsCode) {
    forgetExpiredCodes(state);
    code = `1.AQ${randomBytes(64).toString('base64url')}`;
    state.identity.codes.set(code, {
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      userId: user.id,
      tenantId: user.tenantId,
      scopes: request.scopes,
      nonce: request.nonce,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      amr: tx.mfaDone && user.mfa ? ['pwd', 'mfa'] : ['pwd'],
      ipaddr: tx.ipaddr,
      issuedAt: state.now(),
      redeemed: false,
    });
    params.code = code;
  }
  if (request.wantsIdToken) {
    params.id_token = issueIdToken(state, { user, clientId: request.clientId, scopes: request.scopes, nonce: request.nonce, code });
  }
  if (request.state !== undefined) params.state = request.state;
  params.session_state = randomUUID();
  sendToClient(ex, clientTarget(tx), params);
}

// An expired code gets AADSTS70008 whether it is still known or not.
function forgetExpiredCodes(state: EmulatorState): void {
  for (const [code, record] of state.identity.codes) {
    if (state.now() - record.issuedAt > CODE_LIFETIME_MS) state.identity.codes.delete(code);
  }
}

// The response goes back to the app the way it asked for it (query, fragment or form_post).
function sendToClient({ res }: Exchange, target: ClientTarget, params: Record<string, string>): void {
  res.set('Cache-Control', 'no-store');
  if (target.responseMode === 'form_post') {
    res.type('html').send(formPostPage(target.redirectUri, params));
    return;
  }
  const url = new URL(target.redirectUri);
  if (target.responseMode === 'fragment') {
    url.hash = new URLSearchParams(params).toString();
  } else {
    for (const [name, value] of Object.entries(params)) url.searchParams.append(name, value);
  }
  res.redirect(302, url.toString());
}

function errorParams(ex: Exchange, failure: AuthorizeFailure, target: ClientTarget): Record<string, string> {
  const context = aadErrorContext(ex.state, ex.req);
  return {
    error: failure.error,
    error_description: aadErrorDescription(failure.code, failure.message, context),
    ...(target.state !== undefined ? { state: target.state } : {}),
  };
}

function failSilently(ex: Exchange, tx: LoginTransaction, error: string, code: number, message: string): void {
  ex.state.identity.transactions.delete(tx.id);
  const target = clientTarget(tx);
  sendToClient(ex, target, errorParams(ex, { error, code, message }, target));
}

function clientTarget(tx: LoginTransaction): ClientTarget {
  return { redirectUri: tx.request.redirectUri, responseMode: tx.request.responseMode, state: tx.request.state };
}

function loadTransaction(ex: Exchange): LoginTransaction | undefined {
  const id = param(ex.req.body, 'flow');
  const tx = id ? ex.state.identity.transactions.get(id) : undefined;
  if (!tx || ex.state.now() - tx.createdAt > TRANSACTION_LIFETIME_MS) {
    if (tx) ex.state.identity.transactions.delete(tx.id);
    showErrorPage(ex, 50089, 'Authentication failed due to flow token expired. Go back to the application and sign in again.');
    return undefined;
  }
  return tx;
}

function forgetAbandonedTransactions(state: EmulatorState): void {
  for (const tx of state.identity.transactions.values()) {
    if (state.now() - tx.createdAt > TRANSACTION_LIFETIME_MS) state.identity.transactions.delete(tx.id);
  }
}

function signedInUser(ex: Exchange, tx: LoginTransaction): User | undefined {
  const user = tx.userId ? ex.state.findUserById(tx.userId) : undefined;
  if (!user) showSignIn(ex, tx, {});
  return user;
}

function showSignIn(ex: Exchange, tx: LoginTransaction, model: { username?: string; error?: string }): void {
  const { request } = tx;
  // domain_hint only brands the page here; there is no home-realm discovery to skip.
  const tenantSegment = request.tenantId ?? request.domainHint;
  const target = tenantSegment ? resolveTenant(ex.state, tenantSegment) : undefined;
  const tenant = target?.kind === 'tenant' ? target.tenant : undefined;
  sendPage(ex, signInPage({ flowId: tx.id, action: formAction(tx, 'login'), organization: tenant?.displayName, ...model }));
}

function showMfa(ex: Exchange, tx: LoginTransaction, user: User, error?: string): void {
  sendPage(ex, mfaPage({ flowId: tx.id, action: formAction(tx, 'login/mfa'), userPrincipalName: user.userPrincipalName, error }));
}

function showConsent(ex: Exchange, tx: LoginTransaction, user: User, forOrganization = false): void {
  const app = ex.state.findApp(tx.request.clientId);
  const permissions = [...new Set(consentScopes(tx.request.scopes, tx.request.staticConsent).map(consentDisplayName))];
  sendPage(
    ex,
    consentPage({
      flowId: tx.id,
      action: formAction(tx, 'login/consent'),
      appDisplayName: app?.displayName ?? tx.request.clientId,
      userPrincipalName: user.userPrincipalName,
      permissions,
      offerOrganizationConsent: !forOrganization && isGlobalAdministrator(user),
      forOrganization,
    }),
  );
}

function isGlobalAdministrator(user: User): boolean {
  return user.roles.includes('GlobalAdministrator');
}

// "Users can consent to apps" is off in the directory: only a Global Administrator may consent.
function needsAdminApproval(state: EmulatorState, user: User): boolean {
  return !!state.findTenantById(user.tenantId)?.requiresAdminConsent && !isGlobalAdministrator(user);
}

function showAdminApproval(ex: Exchange, tx: LoginTransaction, user: User): void {
  const app = ex.state.findApp(tx.request.clientId);
  const appName = app?.displayName ?? tx.request.clientId;
  sendPage(
    ex,
    adminApprovalPage({
      flowId: tx.id,
      action: formAction(tx, 'login/consent'),
      appDisplayName: appName,
      userPrincipalName: user.userPrincipalName,
      message: `AADSTS90094: ${appName} needs permission to access resources in your organization that only an admin can grant. Please ask an admin to grant permission to this app before you can use it.`,
    }),
  );
}

// /adminconsent after sign-in: a Global Administrator sees the organization-wide consent page; anyone
// else goes back to the app with AADSTS90093 (not allowed to grant these permissions).
function askAdminConsent(ex: Exchange, tx: LoginTransaction, user: User): void {
  if (isGlobalAdministrator(user)) return showConsent(ex, tx, user, true);
  ex.state.identity.transactions.delete(tx.id);
  const app = ex.state.findApp(tx.request.clientId);
  const target = clientTarget(tx);
  const failure = {
    error: 'access_denied',
    code: 90093,
    message: `${app?.displayName ?? tx.request.clientId} is requesting one or more permissions that you are not authorized to grant. Contact an administrator, who can consent to this application on your behalf.`,
  };
  sendToClient(ex, target, { admin_consent: 'True', ...errorParams(ex, failure, target) });
}

function finishAdminConsent(ex: Exchange, tx: LoginTransaction, user: User, accepted: boolean): void {
  ex.state.identity.transactions.delete(tx.id);
  const target = clientTarget(tx);
  if (!accepted || !isGlobalAdministrator(user)) {
    // v2-admin-consent.md shows error=consent_required, but a captured redirect for Cancel
    // (MicrosoftDocs/azure-docs#114009, 2023) carries error=access_denied with AADSTS65004: the emulator
    // follows what Entra sends.
    const declined = { error: 'access_denied', code: 65004, message: 'User declined to consent to access the app.' };
    return sendToClient(ex, target, { ...errorParams(ex, declined, target), admin_consent: 'True' });
  }
  ex.state.identity.grantForTenant(user.tenantId, tx.request.clientId, consentScopes(tx.request.scopes, tx.request.staticConsent));
  ex.state.persist();
  const params: Record<string, string> = { admin_consent: 'True', tenant: user.tenantId, scope: tx.adminConsent?.scope ?? '' };
  if (tx.request.state !== undefined) params.state = tx.request.state;
  sendToClient(ex, target, params);
}

function showAccountPicker(ex: Exchange, tx: LoginTransaction): void {
  const accounts = eligibleAccounts(ex.state, ex.req, tx.request.tenantId).map(({ user }) => ({
    userId: user.id,
    displayName: user.displayName,
    userPrincipalName: user.userPrincipalName,
  }));
  sendPage(ex, accountPickerPage({ flowId: tx.id, action: formAction(tx, 'login/account'), accounts }));
}

function showErrorPage(ex: Exchange, code: number, message: string): void {
  ex.res
    .status(400)
    .set('Cache-Control', 'no-store')
    .type('html')
    .send(errorPage({ code, message, ...aadErrorContext(ex.state, ex.req) }));
}

function sendPage({ res }: Exchange, html: string): void {
  res.status(200).set('Cache-Control', 'no-store').set('X-Frame-Options', 'DENY').type('html').send(html);
}

function formAction(tx: LoginTransaction, path: string): string {
  return `/${encodeURIComponent(tx.request.tenantSegment)}/${path}`;
}

function isRegisteredOrigin(state: EmulatorState, target: string, clientId: string | undefined): boolean {
  let origin: string;
  try {
    origin = new URL(target).origin;
  } catch {
    return false;
  }
  const apps = clientId ? state.apps.filter((app) => app.clientId === clientId) : state.apps;
  return apps.some((app) => app.redirectUris.some((uri) => new URL(uri).origin === origin));
}

function clientIp(req: Request): string {
  return (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
}
