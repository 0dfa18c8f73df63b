import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_MFA_CODE, DEMO_PASSWORD, EmulatorBrowser, signInThroughForms } from '../../libs/microsoft-emulator/src';
import { incompatibleScopes } from '../../libs/microsoft-emulator/src/identity/scopes';
import { CONSENT_DEFAULT_SCOPE, CONSENT_TOKEN_SCOPE } from '../../src/modules/consent/interface/web/partner-center-consent.strategy';
import {
  GRAPH_SCOPE,
  PARTNER_CENTER_SCOPE as VAULT_PARTNER_CENTER_SCOPE,
} from '../../src/modules/consent/application/microsoft-token-vault';
import {
  authorizeUrl,
  claimsOf,
  CONTOSO,
  expectAadError,
  GRAPH_DEFAULT_SCOPE,
  NORTHWIND,
  PARTNER_CENTER_DEFAULT_SCOPE,
  PARTNER_CENTER_SCOPE,
  redeemCode,
  refresh,
  signIn,
  useTestEmulator,
  type TokenResponse,
} from '../emulator/support/emulator-test-kit';

// Rule 1 of FACTS.md §7a: scopes at /authorize and /token must be compatible. `{resource}/.default` cannot be
// combined with resource-specific scopes (AADSTS70011), a /token request names one resource (AADSTS28000), OIDC
// scopes go with either, and `.default` at /authorize covers every static permission of the app registration.
const DEFAULT_WITH_SPECIFIC =
  /^AADSTS70011: The provided request must include a 'scope' input parameter\. The provided value for the input parameter 'scope' is not valid\. The scope .+ is not valid\. \.default scope can't be combined with resource-specific scopes\.\r\n/;
const MORE_THAN_ONE_RESOURCE =
  /^AADSTS28000: Provided value for the input parameter scope is not valid because it contains more than one resource\. Scope .+ is not valid\.\r\n/;
// Microsoft's JSON error body (payloads/aad-token-error-invalid_scope.json): every documented field is there.
const invalidScopeSample = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'microsoft', 'aad-token-error-invalid_scope.json'), 'utf8'),
) as Record<string, unknown>;

function expectMicrosoftErrorBody(response: TokenResponse, code: number): void {
  expectAadError(response, 400, 'invalid_scope', code);
  expect(Object.keys(response.body)).toEqual(expect.arrayContaining(Object.keys(invalidScopeSample)));
}

describe('consent scopes Microsoft accepts (FACTS.md §7a.1)', () => {
  const env = useTestEmulator();

  describe('the emulator refuses what Entra refuses', () => {
    describe('at /authorize: a redirect to the redirect URI with error=invalid_scope', () => {
      const refused: [string, string, RegExp][] = [
        [
          'Graph .default with Partner Center user_impersonation (the consent Sync 365 used to send)',
          `openid profile offline_access ${PARTNER_CENTER_SCOPE} ${GRAPH_DEFAULT_SCOPE}`,
          DEFAULT_WITH_SPECIFIC,
        ],
        [
          'Graph .default with a Graph scope of the same resource',
          `openid ${GRAPH_DEFAULT_SCOPE} https://graph.microsoft.com/User.Read`,
          DEFAULT_WITH_SPECIFIC,
        ],
        ['Partner Center .default with a bare Graph scope', `openid User.Read ${PARTNER_CENTER_DEFAULT_SCOPE}`, DEFAULT_WITH_SPECIFIC],
        [
          'two .default of different resources',
          `openid ${PARTNER_CENTER_DEFAULT_SCOPE} ${GRAPH_DEFAULT_SCOPE}`,
          /^AADSTS70011: .*The scope openid https:\/\/api\.partnercenter\.microsoft\.com\/\.default https:\/\/graph\.microsoft\.com\/\.default is not valid\.\r\n/,
        ],
      ];
      it.each(refused)('%s: AADSTS70011', async (_name, scope, description) => {
        const page = await new EmulatorBrowser().get(authorizeUrl(env, { scope }));

        expect(page.status).toBe(302);
        const location = new URL(page.location!);
        expect(`${location.origin}${location.pathname}`).toBe(env.redirectUri);
        expect(location.searchParams.get('error')).toBe('invalid_scope');
        expect(location.searchParams.get('error_description')).toMatch(description);
        expect(location.searchParams.get('state')).toBe('state-123');
        expect(location.searchParams.get('code')).toBeNull();
      });

      it('shows the error on its own page when the redirect URI is not registered (nothing is sent to it)', async () => {
        const page = await new EmulatorBrowser().get(
          authorizeUrl(env, {
            scope: `openid ${PARTNER_CENTER_SCOPE} ${GRAPH_DEFAULT_SCOPE}`,
            redirect_uri: 'https://evil.example/callback',
          }),
        );

        expect(page.status).toBe(400);
        expect(page.location).toBeUndefined();
        expect(page.html).toContain('AADSTS50011');
      });

      it('refuses the same combination at /adminconsent, with admin_consent=True', async () => {
        const url = new URL(`${env.url}/organizations/v2.0/adminconsent`);
        url.search = new URLSearchParams({
          client_id: env.app.clientId,
          redirect_uri: env.redirectUri,
          scope: `${PARTNER_CENTER_DEFAULT_SCOPE} ${GRAPH_DEFAULT_SCOPE}`,
          state: 'admin-state',
        }).toString();

        const page = await new EmulatorBrowser().get(url.toString());

        const location = new URL(page.location!);
        expect(location.searchParams.get('admin_consent')).toBe('True');
        expect(location.searchParams.get('error')).toBe('invalid_scope');
        expect(location.searchParams.get('error_description')).toMatch(/^AADSTS70011: /);
        expect(location.searchParams.get('state')).toBe('admin-state');
      });
    });

    describe("at /token: Microsoft's JSON error body", () => {
      async function codeFor(scope: string): Promise<string> {
        const result = await signIn(env, `s365@${CONTOSO}`, { scope });
        if (!result.params.code) throw new Error(`no code: ${JSON.stringify(result.params)}`);
        return result.params.code;
      }

      it('redeeming a code for .default with a resource-specific scope: AADSTS70011', async () => {
        const code = await codeFor(`openid offline_access ${PARTNER_CENTER_DEFAULT_SCOPE}`);

        const response = await redeemCode(env, code, {
          scope: `openid offline_access ${PARTNER_CENTER_DEFAULT_SCOPE} ${PARTNER_CENTER_SCOPE}`,
        });

        expectMicrosoftErrorBody(response, 70011);
        expect(response.body.error_description).toMatch(DEFAULT_WITH_SPECIFIC);
      });

      it('redeeming a code for scopes of two resources: AADSTS28000, although /authorize accepted them', async () => {
        const code = await codeFor(`openid offline_access User.Read ${PARTNER_CENTER_SCOPE}`);

        const response = await redeemCode(env, code, { scope: `openid offline_access User.Read ${PARTNER_CENTER_SCOPE}` });

        expectMicrosoftErrorBody(response, 28000);
        expect(response.body.error_description).toMatch(MORE_THAN_ONE_RESOURCE);
        expect(response.body.error_description).toContain(`Scope openid offline_access User.Read ${PARTNER_CENTER_SCOPE} is not valid.`);
      });

      it('redeeming a code for two .default: AADSTS70011', async () => {
        const code = await codeFor(`openid offline_access ${PARTNER_CENTER_DEFAULT_SCOPE}`);

        expectMicrosoftErrorBody(await redeemCode(env, code, { scope: `${PARTNER_CENTER_DEFAULT_SCOPE} ${GRAPH_DEFAULT_SCOPE}` }), 70011);
      });

      it('refreshing for .default with a resource-specific scope: AADSTS70011, and the refresh token is not used up', async () => {
        const code = await codeFor(`openid offline_access ${PARTNER_CENTER_DEFAULT_SCOPE}`);
        const tokens = (await redeemCode(env, code, { scope: `openid offline_access ${PARTNER_CENTER_DEFAULT_SCOPE}` })).body;

        const response = await refresh(env, tokens.refresh_token, { scope: `${GRAPH_DEFAULT_SCOPE} ${PARTNER_CENTER_SCOPE}` });

        expectMicrosoftErrorBody(response, 70011);
        expect(response.body.error_description).toMatch(DEFAULT_WITH_SPECIFIC);
        expect((await refresh(env, tokens.refresh_token, { scope: GRAPH_DEFAULT_SCOPE })).status).toBe(200);
      });
    });
  });

  describe('the emulator accepts what Entra accepts', () => {
    it('one .default at /authorize asks once for every static permission (Partner Center and Graph), then one token per resource', async () => {
      const browser = new EmulatorBrowser();
      const signInPage = await browser.get(authorizeUrl(env, { scope: CONSENT_TOKEN_SCOPE }));
      const mfaPage = await browser.submit(signInPage.forms[0], { username: `s365@${CONTOSO}`, password: DEMO_PASSWORD }, 'Sign in');
      const consentPage = await browser.submit(mfaPage.forms[0], { otp: DEMO_MFA_CODE }, 'Verify');

      expect(consentPage.page).toBe('consent');
      for (const permission of [
        'Access Partner Center',
        'Sign in and read user profile',
        'Read organization information',
        'Read Delegated Admin relationships with customers',
      ]) {
        expect(consentPage.html).toContain(`<li>${permission}</li>`);
      }
      expect(consentPage.html).not.toContain('Read directory data');
      const back = await browser.submit(consentPage.forms[0], {}, 'Accept');
      const code = new URL(back.location!).searchParams.get('code')!;

      const partnerCenter = await redeemCode(env, code, { scope: CONSENT_TOKEN_SCOPE });
      expect(partnerCenter.status).toBe(200);
      expect(claimsOf(partnerCenter.body.access_token)).toMatchObject({
        aud: 'https://api.partnercenter.microsoft.com',
        scp: 'user_impersonation',
        amr: ['pwd', 'mfa'],
      });

      // The token vault's requests, one resource each, need no further consent.
      const graph = await refresh(env, partnerCenter.body.refresh_token, { scope: GRAPH_SCOPE });
      expect(graph.status).toBe(200);
      expect(claimsOf(graph.body.access_token)).toMatchObject({
        aud: 'https://graph.microsoft.com',
        scp: 'User.Read Organization.Read.All DelegatedAdminRelationship.Read.All',
      });
      const again = await refresh(env, graph.body.refresh_token, { scope: VAULT_PARTNER_CENTER_SCOPE });
      expect(claimsOf(again.body.access_token).aud).toBe('https://api.partnercenter.microsoft.com');

      // Consent was given once: the next .default sign-in goes straight back to the app.
      expect((await signIn(env, `s365@${CONTOSO}`, { scope: CONSENT_TOKEN_SCOPE }, { browser })).pages).toEqual([]);
    });

    it('.default does not ask again once something of that resource is granted (the v1 behaviour), and asks on prompt=consent', async () => {
      const browser = new EmulatorBrowser();
      await signIn(env, `s365@${CONTOSO}`, { scope: `openid offline_access ${PARTNER_CENTER_SCOPE}` }, { browser });

      expect((await signIn(env, `s365@${CONTOSO}`, { scope: `openid ${PARTNER_CENTER_DEFAULT_SCOPE}` }, { browser })).pages).toEqual([]);
      expect(
        (await signIn(env, `s365@${CONTOSO}`, { scope: `openid ${PARTNER_CENTER_DEFAULT_SCOPE}`, prompt: 'consent' }, { browser })).pages,
      ).toEqual(['consent']);
    });

    it('scopes of several resources without .default at /authorize, then one resource per /token request', async () => {
      const result = await signIn(env, `s365@${CONTOSO}`, { scope: `openid offline_access User.Read ${PARTNER_CENTER_SCOPE}` });

      const graph = await redeemCode(env, result.params.code, { scope: 'openid offline_access User.Read' });
      expect(graph.status).toBe(200);
      const partnerCenter = await refresh(env, graph.body.refresh_token, { scope: `offline_access ${PARTNER_CENTER_SCOPE}` });
      expect(claimsOf(partnerCenter.body.access_token).aud).toBe('https://api.partnercenter.microsoft.com');
    });

    it('an admin consent for one .default covers the whole registration for the directory (Northwind)', async () => {
      const url = new URL(`${env.url}/organizations/v2.0/adminconsent`);
      url.search = new URLSearchParams({
        client_id: env.app.clientId,
        redirect_uri: env.redirectUri,
        scope: CONSENT_DEFAULT_SCOPE,
        state: 'admin-state',
      }).toString();

      const approved = await signInThroughForms(new EmulatorBrowser(), url.toString(), { username: `admin@${NORTHWIND}` });
      expect(approved.params).toMatchObject({ admin_consent: 'True', scope: CONSENT_DEFAULT_SCOPE });

      const user = await signIn(env, `s365@${NORTHWIND}`, { scope: CONSENT_TOKEN_SCOPE });
      expect(user.pages).toEqual(['sign-in', 'mfa']);
      const tokens = await redeemCode(env, user.params.code, { scope: CONSENT_TOKEN_SCOPE });
      expect(tokens.status).toBe(200);
      expect((await refresh(env, tokens.body.refresh_token, { scope: GRAPH_SCOPE })).status).toBe(200);
    });

    it('the checker itself: OIDC scopes go with anything; every scope string Sync 365 sends is compatible', () => {
      expect(incompatibleScopes(`openid profile email offline_access ${GRAPH_DEFAULT_SCOPE}`, { oneResource: true })).toBeUndefined();
      expect(incompatibleScopes('openid profile email User.Read', { oneResource: true })).toBeUndefined();
      for (const scope of [CONSENT_TOKEN_SCOPE, CONSENT_DEFAULT_SCOPE, GRAPH_SCOPE, VAULT_PARTNER_CENTER_SCOPE]) {
        expect(incompatibleScopes(scope, { oneResource: true })).toBeUndefined();
      }
    });
  });
});
