import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { ConfidentialClientApplication, CryptoProvider, InteractionRequiredAuthError, LogLevel } from '@azure/msal-node';
import { OIDCStrategy, type IProfile } from 'passport-azure-ad';
import {
  DEMO_IDS,
  decodeJwt,
  EmulatorBrowser,
  ensureCertificateAuthority,
  signInThroughForms,
  startEmulator,
  sync365DemoApp,
  type AppRegistration,
  type RunningEmulator,
} from '../../libs/microsoft-emulator/src';
import { EntraTokenClient, EntraTokenError, GraphClient, PartnerCenterClient } from '../../libs/microsoft/src';

// passport-azure-ad's own metadata loader and JWT validator (lib/metadata.js, lib/jsonWebToken.js); untyped.
interface PassportMetadata {
  oidc: { issuer: string; authorization_endpoint: string; token_endpoint: string; algorithms: string[]; keys: Array<{ kid: string }> };
  fetch(callback: (error?: Error) => void): void;
  generateOidcPEM(kid: string): string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- passport-azure-ad's internals have no typed entry point
const { Metadata } = require('passport-azure-ad/lib/metadata') as {
  Metadata: new (url: string, authType: 'oidc', options: { loggingNoPII: boolean }) => PassportMetadata;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
const passportJwt = require('passport-azure-ad/lib/jsonWebToken') as {
  verify(
    token: string,
    pem: string,
    options: Record<string, unknown>,
    callback: (error: Error | null, payload?: Record<string, any>) => void,
  ): void;
};

const APP_BASE_URL = 'http://localhost:3999'; // never contacted: sign-in stops at the redirect back to it
const SERVICE_ACCOUNT = 's365@contoso-partners.example';
const PARTNER_CENTER_SCOPE = 'https://api.partnercenter.microsoft.com/user_impersonation';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const claimsOf = (jwt: string) => decodeJwt(jwt)!.claims as Record<string, any>;

// Microsoft's own client libraries against the local emulator: if MSAL and passport-azure-ad accept it, the
// emulator speaks Microsoft's protocol on these paths. Our own token and Graph clients run against it too.
describe('Microsoft client libraries against the local emulator', () => {
  let emulator: RunningEmulator;
  let app: AppRegistration;
  let redirectUri: string;

  beforeAll(async () => {
    app = sync365DemoApp(APP_BASE_URL);
    redirectUri = app.redirectUris[0];
    emulator = await startEmulator({ ca: ensureCertificateAuthority('.data/test'), apps: [app] });
  });
  afterAll(() => emulator.close());

  describe('@azure/msal-node ConfidentialClientApplication', () => {
    const msal = () =>
      new ConfidentialClientApplication({
        auth: {
          clientId: app.clientId,
          clientSecret: app.clientSecret,
          authority: `${emulator.url}/common`,
          // No instance discovery at login.microsoftonline.com: the emulator's host is a known authority, so
          // MSAL builds the cloud metadata from it and reads the emulator's openid-configuration.
          knownAuthorities: [emulator.url],
        },
        system: { loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => undefined } },
      });

    it('signs in with getAuthCodeUrl + PKCE, redeems the code, then refreshes silently and by refresh token', async () => {
      const client = msal();
      const pkce = await new CryptoProvider().generatePkceCodes();
      const authUrl = await client.getAuthCodeUrl({
        scopes: ['User.Read'],
        redirectUri,
        state: 'msal-state',
        codeChallenge: pkce.challenge,
        codeChallengeMethod: 'S256',
      });
      expect(authUrl.startsWith(`${emulator.url}/common/oauth2/v2.0/authorize?`)).toBe(true);

      const signIn = await signInThroughForms(new EmulatorBrowser(), authUrl, { username: SERVICE_ACCOUNT });
      expect(signIn.pages).toEqual(['sign-in', 'mfa', 'consent']);
      expect(signIn.params.state).toBe('msal-state');

      const result = await client.acquireTokenByCode({
        code: signIn.params.code,
        scopes: ['User.Read'],
        redirectUri,
        codeVerifier: pkce.verifier,
      });
      expect(result.idTokenClaims).toMatchObject({
        iss: `${emulator.url}/${DEMO_IDS.contosoTenant}/v2.0`,
        aud: app.clientId,
        tid: DEMO_IDS.contosoTenant,
        oid: DEMO_IDS.contosoServiceAccount,
        preferred_username: SERVICE_ACCOUNT,
        ver: '2.0',
      });
      // MSAL sends client_info=1 and builds homeAccountId "{uid}.{utid}" from the client_info the emulator answers
      // with (without it MSAL falls back to `sub`); requestId is the x-ms-request-id response header.
      expect(result.account).toMatchObject({
        homeAccountId: `${DEMO_IDS.contosoServiceAccount}.${DEMO_IDS.contosoTenant}`,
        tenantId: DEMO_IDS.contosoTenant,
        username: SERVICE_ACCOUNT,
        localAccountId: DEMO_IDS.contosoServiceAccount,
      });
      expect(result.requestId).toMatch(GUID);
      expect(claimsOf(result.accessToken)).toMatchObject({
        aud: 'https://graph.microsoft.com',
        tid: DEMO_IDS.contosoTenant,
        amr: ['pwd', 'mfa'],
      });
      expect(result.scopes.map((scope) => scope.toLowerCase())).toContain('user.read');

      const silent = await client.acquireTokenSilent({ account: result.account!, scopes: ['User.Read'], forceRefresh: true });
      expect(silent.fromCache).toBe(false); // a refresh_token grant at the emulator, not the cache
      expect(claimsOf(silent.accessToken)).toMatchObject({ oid: DEMO_IDS.contosoServiceAccount, tid: DEMO_IDS.contosoTenant });
      expect(silent.account?.homeAccountId).toBe(`${DEMO_IDS.contosoServiceAccount}.${DEMO_IDS.contosoTenant}`);
      expect(silent.requestId).toMatch(GUID);
      expect(silent.requestId).not.toBe(result.requestId);

      const cache = JSON.parse(client.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> };
      const refreshToken = Object.values(cache.RefreshToken)[0].secret;
      const byRefreshToken = await msal().acquireTokenByRefreshToken({ refreshToken, scopes: ['User.Read'] });
      expect(byRefreshToken?.fromCache).toBe(false);
      expect(claimsOf(byRefreshToken!.accessToken)).toMatchObject({
        oid: DEMO_IDS.contosoServiceAccount,
        scp: expect.stringContaining('User.Read'),
      });

      // MSAL reads the emulator's AADSTS body as it reads Entra's: Partner Center was never consented, so it asks
      // for interaction. MSAL sends its correlation id as the client-request-id query parameter, and the error's
      // correlationId is the body's correlation_id: the emulator read it.
      const correlationId = randomUUID();
      const refused = await msal()
        .acquireTokenByRefreshToken({ refreshToken, scopes: [PARTNER_CENTER_SCOPE], correlationId })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(InteractionRequiredAuthError);
      expect(refused).toMatchObject({
        errorCode: 'invalid_grant',
        subError: 'consent_required',
        errorNo: 65001,
        correlationId,
        traceId: expect.stringMatching(GUID),
      });
      expect((refused as InteractionRequiredAuthError).errorMessage).toMatch(/^AADSTS65001: /);
      expect((refused as InteractionRequiredAuthError).errorMessage).toContain(`Correlation ID: ${correlationId}`);
    });
  });

  describe('passport-azure-ad', () => {
    it('loads the discovery document and signing keys with its own metadata loader, and validates an emulator id_token with them', async () => {
      const metadata = new Metadata(`${emulator.url}/common/v2.0/.well-known/openid-configuration`, 'oidc', { loggingNoPII: true });
      await promisify(metadata.fetch.bind(metadata))();

      expect(metadata.oidc).toMatchObject({
        issuer: `${emulator.url}/{tenantid}/v2.0`,
        authorization_endpoint: `${emulator.url}/common/oauth2/v2.0/authorize`,
        token_endpoint: `${emulator.url}/common/oauth2/v2.0/token`,
        algorithms: ['RS256'],
      });
      expect(metadata.oidc.keys.length).toBeGreaterThan(0);

      const tokens = await signInAndRedeem(new EmulatorBrowser());
      const kid = decodeJwt(tokens.idToken!)!.header.kid as string;
      const pem = metadata.generateOidcPEM(kid);
      const payload = await new Promise<Record<string, any>>((resolve, reject) =>
        passportJwt.verify(
          tokens.idToken!,
          pem,
          { audience: app.clientId, issuer: `${emulator.url}/${DEMO_IDS.contosoTenant}/v2.0`, algorithms: ['RS256'], clockSkew: 300 },
          (error, verified) => (error ? reject(error) : resolve(verified!)),
        ),
      );
      expect(payload).toMatchObject({ tid: DEMO_IDS.contosoTenant, oid: DEMO_IDS.contosoServiceAccount, aud: app.clientId });
    });

    it("runs OIDCStrategy's redirect step and its code callback against the emulator", async () => {
      const verified: Array<{ iss: string; sub: string; profile: IProfile; refreshToken: string }> = [];
      const strategy = new OIDCStrategy(
        {
          identityMetadata: `${emulator.url}/common/v2.0/.well-known/openid-configuration`,
          clientID: app.clientId,
          clientSecret: app.clientSecret,
          responseType: 'code',
          responseMode: 'query',
          redirectUrl: redirectUri,
          allowHttpForRedirectUrl: true,
          // passport cannot substitute {tenantid} in the common issuer (FACTS §5): list the tenant's issuer.
          issuer: [`${emulator.url}/${DEMO_IDS.contosoTenant}/v2.0`],
          scope: ['profile', 'email', 'offline_access', 'User.Read'],
          passReqToCallback: false,
          loggingLevel: 'error',
          loggingNoPII: true,
        },
        ((
          iss: string,
          sub: string,
          profile: IProfile,
          _accessToken: string,
          refreshToken: string,
          done: (error: unknown, user?: unknown) => void,
        ) => {
          verified.push({ iss, sub, profile, refreshToken });
          done(null, { oid: profile.oid });
        }) as never,
      );
      const session: Record<string, unknown> = {};

      const start = await runStrategy(strategy, { method: 'GET', url: '/auth/signin', query: {}, body: {}, headers: {}, session });
      expect(start.redirect).toBeDefined();
      const authorize = new URL(start.redirect!);
      expect(`${authorize.origin}${authorize.pathname}`).toBe(`${emulator.url}/common/oauth2/v2.0/authorize`);
      expect(authorize.searchParams.get('client_id')).toBe(app.clientId);
      expect(authorize.searchParams.get('redirect_uri')).toBe(redirectUri);
      expect(authorize.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['openid', 'offline_access', 'User.Read']));

      const signIn = await signInThroughForms(new EmulatorBrowser(), start.redirect!, { username: SERVICE_ACCOUNT });
      const callback = await runStrategy(strategy, {
        method: 'GET',
        url: '/auth/callback',
        query: signIn.params,
        body: {},
        headers: {},
        session,
      });

      expect(callback).toEqual({ user: { oid: DEMO_IDS.contosoServiceAccount } });
      expect(verified[0]).toMatchObject({
        iss: `${emulator.url}/${DEMO_IDS.contosoTenant}/v2.0`,
        profile: { oid: DEMO_IDS.contosoServiceAccount, upn: undefined },
      });
      expect(verified[0].refreshToken).toBeTruthy();
    });
  });

  describe('our own clients', () => {
    const tokenClient = () => new EntraTokenClient({ loginBaseUrl: emulator.url, clientId: app.clientId, clientSecret: app.clientSecret });

    it('EntraTokenClient redeems a code and a refresh token, GraphClient reads with them, and AADSTS refusals come back typed', async () => {
      const browser = new EmulatorBrowser();
      const { tokens, code } = await signInAndRedeemWithCode(browser);
      expect(tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: 3599, refreshToken: expect.any(String), idToken: expect.any(String) });
      expect(claimsOf(tokens.idToken!)).toMatchObject({ tid: DEMO_IDS.contosoTenant, nonce: 'our-nonce' });

      const graph = new GraphClient({ baseUrl: emulator.url });
      expect(await graph.getMe(tokens.accessToken)).toMatchObject({
        id: DEMO_IDS.contosoServiceAccount,
        userPrincipalName: SERVICE_ACCOUNT,
      });
      expect(await graph.getOrganization(tokens.accessToken)).toMatchObject({
        id: DEMO_IDS.contosoTenant,
        displayName: 'Contoso Partners',
      });

      const refreshed = await tokenClient().redeemRefreshToken({
        tenant: DEMO_IDS.contosoTenant,
        refreshToken: tokens.refreshToken!,
        scope: 'openid profile offline_access User.Read',
      });
      expect(claimsOf(refreshed.accessToken)).toMatchObject({ tid: DEMO_IDS.contosoTenant, oid: DEMO_IDS.contosoServiceAccount });
      expect(refreshed.refreshToken).not.toBe(tokens.refreshToken);

      const reused = await tokenClient()
        .redeemAuthorizationCode({ tenant: 'common', code, redirectUri, codeVerifier: 'x'.repeat(43), scope: 'openid User.Read' })
        .catch((error: unknown) => error);
      expect(reused).toBeInstanceOf(EntraTokenError);
      expect(reused).toMatchObject({ status: 400, error: 'invalid_grant', aadstsCodes: [54005], traceId: expect.any(String) });

      const notConsented = await tokenClient()
        .redeemRefreshToken({ tenant: 'common', refreshToken: tokens.refreshToken!, scope: PARTNER_CENTER_SCOPE })
        .catch((error: unknown) => error);
      expect(notConsented).toMatchObject({ error: 'invalid_grant', aadstsCodes: [65001], suberror: 'consent_required' });
    });

    it("PartnerCenterClient walks the emulator's customer pages with a consented Partner Center token", async () => {
      const { tokens } = await signInAndRedeemWithCode(new EmulatorBrowser(), `openid offline_access ${PARTNER_CENTER_SCOPE}`);
      expect(claimsOf(tokens.accessToken)).toMatchObject({ aud: 'https://api.partnercenter.microsoft.com', amr: ['pwd', 'mfa'] });
      const partnerCenter = new PartnerCenterClient({ baseUrl: emulator.url });

      const pages = [];
      for await (const page of partnerCenter.listCustomers(tokens.accessToken, { size: 2 })) pages.push(page);

      const ids = pages.flatMap((page) => page.items.map((customer) => customer.id));
      expect(pages.length).toBeGreaterThan(1);
      expect(new Set(ids).size).toBe(ids.length);
      expect(pages.slice(0, -1).every((page) => page.links?.next?.headers?.some((header) => header.key === 'MS-ContinuationToken'))).toBe(
        true,
      );
      expect(pages[pages.length - 1].links?.next).toBeUndefined();
      expect(await partnerCenter.getCustomer(tokens.accessToken, ids[0])).toMatchObject({
        id: ids[0],
        companyProfile: { tenantId: ids[0] },
      });
    });
  });

  async function signInAndRedeem(browser: EmulatorBrowser) {
    return (await signInAndRedeemWithCode(browser)).tokens;
  }

  async function signInAndRedeemWithCode(browser: EmulatorBrowser, scope = 'openid profile offline_access User.Read') {
    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL(`${emulator.url}/common/oauth2/v2.0/authorize`);
    for (const [name, value] of Object.entries({
      client_id: app.clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope,
      state: 'our-state',
      nonce: 'our-nonce',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    })) {
      authorize.searchParams.set(name, value);
    }
    const signIn = await signInThroughForms(browser, authorize.toString(), { username: SERVICE_ACCOUNT });
    const code = signIn.params.code;
    const tokens = await new EntraTokenClient({
      loginBaseUrl: emulator.url,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
    }).redeemAuthorizationCode({
      tenant: 'common',
      code,
      redirectUri,
      codeVerifier: verifier,
      scope,
    });
    return { tokens, code };
  }
});

interface StrategyOutcome {
  redirect?: string;
  user?: unknown;
  fail?: unknown;
  error?: unknown;
}

// What passport.authenticate does: a fresh object inheriting the strategy, with the outcome callbacks set.
function runStrategy(strategy: OIDCStrategy, req: Record<string, unknown>): Promise<StrategyOutcome> {
  return new Promise((resolve) => {
    const instance = Object.create(strategy) as OIDCStrategy & Record<string, unknown>;
    instance.redirect = (url: string) => resolve({ redirect: url });
    instance.success = (user: unknown) => resolve({ user });
    instance.fail = (challenge: unknown) => resolve({ fail: challenge });
    instance.error = (error: unknown) => resolve({ error });
    instance.authenticate(req as never, {});
  });
}
