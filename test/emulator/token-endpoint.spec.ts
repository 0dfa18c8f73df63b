import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_CUSTOMERS, DEMO_IDS, EmulatorBrowser } from '../../libs/microsoft-emulator/src';
import {
  authorizeUrl,
  claimsOf,
  CONTOSO,
  control,
  controlGet,
  controlPost,
  expectAadError,
  GRAPH_DEFAULT_SCOPE,
  partnerSession,
  pkcePair,
  postToken,
  redeemCode,
  refresh,
  signIn,
  useTestEmulator,
  tokensFor,
} from './support/emulator-test-kit';

const errorSample = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'microsoft/aad-token-error-invalid_scope.json'), 'utf8'),
) as Record<string, unknown>;
const PARTNER_CENTER_SCOPE = 'https://api.partnercenter.microsoft.com/user_impersonation';
const DAY_SECONDS = 24 * 60 * 60;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe('token endpoint', () => {
  const env = useTestEmulator();

  async function codeFor(username: string, params: Record<string, string | undefined> = {}): Promise<string> {
    const result = await signIn(env, username, params);
    return result.params.code;
  }

  describe('client authentication', () => {
    it('rejects a wrong client secret in the body with invalid_client AADSTS7000215, in Microsoft error shape', async () => {
      const response = await redeemCode(env, await codeFor(`nomfa@${CONTOSO}`), { client_secret: 'not-the-secret' });

      expectAadError(response, 401, 'invalid_client', 7000215);
      expect(Object.keys(response.body)).toEqual(expect.arrayContaining(Object.keys(errorSample)));
      expect(response.body.error_uri).toBe(`${env.url}/error?code=7000215`);
      expect(response.headers.get('cache-control')).toContain('no-store');
    });

    it('rejects a wrong client secret sent with HTTP Basic', async () => {
      const response = await postToken(
        env,
        { grant_type: 'authorization_code', code: await codeFor(`nomfa@${CONTOSO}`), redirect_uri: env.redirectUri },
        { basic: [env.app.clientId, 'not-the-secret'] },
      );

      expectAadError(response, 401, 'invalid_client', 7000215);
    });

    it('accepts the client secret sent with HTTP Basic', async () => {
      const response = await postToken(
        env,
        { grant_type: 'authorization_code', code: await codeFor(`nomfa@${CONTOSO}`), redirect_uri: env.redirectUri },
        { basic: [env.app.clientId, env.app.clientSecret] },
      );

      expect(response.status).toBe(200);
      expect(response.body.access_token).toEqual(expect.any(String));
    });

    it('rejects an unknown client with unauthorized_client AADSTS700016', async () => {
      const response = await postToken(env, {
        grant_type: 'authorization_code',
        client_id: '11111111-1111-1111-1111-111111111111',
        client_secret: 'x',
        code: 'x',
        redirect_uri: env.redirectUri,
      });

      expectAadError(response, 400, 'unauthorized_client', 700016);
    });

    it('rejects a request without any client secret with invalid_client AADSTS7000218', async () => {
      const response = await redeemCode(env, await codeFor(`nomfa@${CONTOSO}`), { client_secret: undefined });

      expectAadError(response, 401, 'invalid_client', 7000218);
    });
  });

  describe('authorization_code grant', () => {
    it('returns token_type, scope, expiry, tokens and no-store', async () => {
      const response = await redeemCode(env, await codeFor(`nomfa@${CONTOSO}`));

      expect(response.status).toBe(200);
      expect(Object.keys(response.body)).toEqual([
        'token_type',
        'scope',
        'expires_in',
        'ext_expires_in',
        'access_token',
        'refresh_token',
        'id_token',
      ]);
      expect(response.headers.get('cache-control')).toContain('no-store');
    });

    it('leaves out the refresh token without offline_access and the id_token without openid', async () => {
      const code = await codeFor(`nomfa@${CONTOSO}`, { scope: 'User.Read' });
      const response = await redeemCode(env, code, { scope: 'User.Read' });

      expect(response.status).toBe(200);
      expect(response.body.refresh_token).toBeUndefined();
      expect(response.body.id_token).toBeUndefined();
      expect(claimsOf(response.body.access_token).scp).toBe('User.Read');
    });

    it('rejects a reused authorization code with AADSTS54005', async () => {
      const code = await codeFor(`nomfa@${CONTOSO}`);
      expect((await redeemCode(env, code)).status).toBe(200);

      expectAadError(await redeemCode(env, code), 400, 'invalid_grant', 54005);
    });

    it('rejects an unknown authorization code with AADSTS70008', async () => {
      expectAadError(await redeemCode(env, 'not-a-code'), 400, 'invalid_grant', 70008);
    });

    it('rejects an authorization code older than 10 minutes with AADSTS70008', async () => {
      const code = await codeFor(`nomfa@${CONTOSO}`);
      await controlPost(env, 'clock', { advanceSeconds: 601 });

      expectAadError(await redeemCode(env, code), 400, 'invalid_grant', 70008);
    });

    it('rejects a redirect_uri different from the authorize request with AADSTS500112', async () => {
      const response = await redeemCode(env, await codeFor(`nomfa@${CONTOSO}`), { redirect_uri: env.app.redirectUris[1] });

      expectAadError(response, 400, 'invalid_grant', 500112);
    });

    it('rejects scopes spanning two resources with invalid_scope AADSTS28000 (FACTS.md §7a.1)', async () => {
      const scope = `openid offline_access User.Read ${PARTNER_CENTER_SCOPE}`;
      const code = await codeFor(`nomfa@${CONTOSO}`, { scope });

      const response = await redeemCode(env, code, { scope: `User.Read ${PARTNER_CENTER_SCOPE}` });

      expectAadError(response, 400, 'invalid_scope', 28000);
      expect(response.body.error_description).toMatch(
        /^AADSTS28000: Provided value for the input parameter scope is not valid because it contains more than one resource\. Scope User\.Read https:\/\/api\.partnercenter\.microsoft\.com\/user_impersonation is not valid\./,
      );
    });

    it('rejects an unsupported grant type with AADSTS70003', async () => {
      const response = await postToken(env, {
        grant_type: 'urn:example:magic',
        client_id: env.app.clientId,
        client_secret: env.app.clientSecret,
      });

      expectAadError(response, 400, 'unsupported_grant_type', 70003);
    });

    describe('PKCE', () => {
      it('accepts the S256 code_verifier that matches the challenge', async () => {
        const { verifier, challenge } = pkcePair();
        const code = await codeFor(`nomfa@${CONTOSO}`, { code_challenge: challenge, code_challenge_method: 'S256' });

        expect((await redeemCode(env, code, { code_verifier: verifier })).status).toBe(200);
      });

      it('accepts a plain code_verifier equal to the challenge', async () => {
        const { verifier } = pkcePair();
        const code = await codeFor(`nomfa@${CONTOSO}`, { code_challenge: verifier, code_challenge_method: 'plain' });

        expect((await redeemCode(env, code, { code_verifier: verifier })).status).toBe(200);
      });

      it('rejects a wrong code_verifier with AADSTS501481', async () => {
        const { challenge } = pkcePair();
        const code = await codeFor(`nomfa@${CONTOSO}`, { code_challenge: challenge, code_challenge_method: 'S256' });

        expectAadError(await redeemCode(env, code, { code_verifier: pkcePair().verifier }), 400, 'invalid_grant', 501481);
      });

      it('rejects a missing code_verifier when a challenge was sent', async () => {
        const { challenge } = pkcePair();
        const code = await codeFor(`nomfa@${CONTOSO}`, { code_challenge: challenge, code_challenge_method: 'S256' });

        expectAadError(await redeemCode(env, code), 400, 'invalid_grant', 501481);
      });
    });
  });

  describe('refresh_token grant', () => {
    it('rotates: every use returns a new refresh token, and the old one keeps working', async () => {
      const first = (await tokensFor(env, `s365@${CONTOSO}`)).refresh_token as string;

      const second = await refresh(env, first);
      expect(second.status).toBe(200);
      expect(second.body.refresh_token).toEqual(expect.any(String));
      expect(second.body.refresh_token).not.toBe(first);

      const fromNew = await refresh(env, second.body.refresh_token);
      const fromOld = await refresh(env, first);
      expect(fromNew.status).toBe(200);
      expect(fromOld.status).toBe(200);
      expect(new Set([first, second.body.refresh_token, fromNew.body.refresh_token, fromOld.body.refresh_token]).size).toBe(4);
    });

    it('remembers the MFA of the sign-in and the tenant in tokens from a refresh', async () => {
      const tokens = await tokensFor(env, `s365@${CONTOSO}`);
      const refreshed = await refresh(env, tokens.refresh_token, { scope: 'openid User.Read' });

      expect(claimsOf(refreshed.body.access_token)).toMatchObject({ amr: ['pwd', 'mfa'], tid: DEMO_IDS.contosoTenant });
      expect(claimsOf(refreshed.body.id_token).tid).toBe(DEMO_IDS.contosoTenant);
    });

    it('issues a token for the first resource when the scopes name several', async () => {
      const scope = `openid offline_access User.Read ${PARTNER_CENTER_SCOPE}`;
      const code = await codeFor(`s365@${CONTOSO}`, { scope });
      const tokens = (await redeemCode(env, code, { scope: 'openid offline_access User.Read' })).body;

      const refreshed = await refresh(env, tokens.refresh_token, { scope: `${PARTNER_CENTER_SCOPE} User.Read` });

      expect(refreshed.status).toBe(200);
      expect(claimsOf(refreshed.body.access_token)).toMatchObject({
        aud: 'https://api.partnercenter.microsoft.com',
        scp: 'user_impersonation',
      });
    });

    it('rejects scopes the user has not consented to with AADSTS65001', async () => {
      const tokens = await tokensFor(env, `s365@${CONTOSO}`);

      const response = await refresh(env, tokens.refresh_token, { scope: PARTNER_CENTER_SCOPE });

      expectAadError(response, 400, 'invalid_grant', 65001);
      expect(response.body.suberror).toBe('consent_required');
    });

    it('gives `{resource}/.default` what the user consented for that resource, and AADSTS65001 when nothing was', async () => {
      const graphUser = await tokensFor(env, `nomfa@${CONTOSO}`);
      const partnerCenterUser = await tokensFor(env, `admin@${CONTOSO}`, { scope: `openid offline_access ${PARTNER_CENTER_SCOPE}` });

      const graph = await refresh(env, graphUser.refresh_token, { scope: 'https://graph.microsoft.com/.default' });
      const nothing = await refresh(env, partnerCenterUser.refresh_token, { scope: 'https://graph.microsoft.com/.default' });

      expect(graph.status).toBe(200);
      expect(claimsOf(graph.body.access_token).scp).toBe('User.Read');
      expectAadError(nothing, 400, 'invalid_grant', 65001);
    });

    it('still works after 89 days without use', async () => {
      const tokens = await tokensFor(env, `s365@${CONTOSO}`);
      await controlPost(env, 'clock', { advanceSeconds: 89 * DAY_SECONDS });

      expect((await refresh(env, tokens.refresh_token)).status).toBe(200);
    });

    it('expires after 90 days without use with AADSTS700082', async () => {
      const tokens = await tokensFor(env, `s365@${CONTOSO}`);
      await controlPost(env, 'clock', { advanceSeconds: 91 * DAY_SECONDS });

      const response = await refresh(env, tokens.refresh_token);

      expectAadError(response, 400, 'invalid_grant', 700082);
      expect(response.body.error_description).toMatch(/inactive for 90\.00:00:00/);
    });

    it('is revoked by a password reset with AADSTS50173, and the SSO session ends', async () => {
      const browser = new EmulatorBrowser();
      const result = await signIn(env, `s365@${CONTOSO}`, {}, { browser });
      const tokens = (await redeemCode(env, result.params.code)).body;
      const rotated = (await refresh(env, tokens.refresh_token)).body.refresh_token as string;

      const reset = await controlPost(env, `users/${encodeURIComponent(`s365@${CONTOSO}`)}/password-reset`);
      expect(reset.status).toBe(200);

      expectAadError(await refresh(env, tokens.refresh_token), 400, 'invalid_grant', 50173);
      expectAadError(await refresh(env, rotated), 400, 'invalid_grant', 50173);
      expect((await browser.get(authorizeUrl(env))).page).toBe('sign-in');
      expect((await tokensFor(env, `s365@${CONTOSO}`)).refresh_token).toEqual(expect.any(String));
    });

    it('rejects an unknown refresh token with invalid_grant', async () => {
      expectAadError(await refresh(env, 'not-a-refresh-token'), 400, 'invalid_grant', 9002313);
    });
  });

  describe('client_info and request ids', () => {
    const decodeClientInfo = (value: string) => JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    const badRefresh = (options: Parameters<typeof postToken>[2]) =>
      postToken(
        env,
        {
          grant_type: 'refresh_token',
          client_id: env.app.clientId,
          client_secret: env.app.clientSecret,
          refresh_token: 'not-a-refresh-token',
        },
        options,
      );

    it('answers client_info=1 with unpadded base64url {uid, utid} on both grants, and leaves it out otherwise', async () => {
      const asked = await redeemCode(env, await codeFor(`s365@${CONTOSO}`), { client_info: '1' });
      const notAsked = await redeemCode(env, await codeFor(`s365@${CONTOSO}`));
      const refreshed = await refresh(env, asked.body.refresh_token, { client_info: '1' });

      expect(asked.status).toBe(200);
      expect(asked.body.client_info).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeClientInfo(asked.body.client_info)).toEqual({ uid: DEMO_IDS.contosoServiceAccount, utid: DEMO_IDS.contosoTenant });
      expect(notAsked.body).not.toHaveProperty('client_info');
      expect(refreshed.body.client_info).toBe(asked.body.client_info);
      expect(Object.keys(asked.body).at(-1)).toBe('client_info');
    });

    it("keeps the partner user's home ids in client_info of a GDAP token for a customer directory", async () => {
      const { refreshToken } = await partnerSession(env, `s365@${CONTOSO}`);
      const customerId = DEMO_CUSTOMERS.coho.id;

      const response = await refresh(env, refreshToken, { scope: GRAPH_DEFAULT_SCOPE, client_info: '1' }, customerId);

      expect(response.status).toBe(200);
      expect(claimsOf(response.body.access_token).tid).toBe(customerId);
      expect(decodeClientInfo(response.body.client_info)).toEqual({ uid: DEMO_IDS.contosoServiceAccount, utid: DEMO_IDS.contosoTenant });
    });

    it('sends x-ms-request-id with tokens and with errors, where it is the trace id of the body', async () => {
      const ok = await redeemCode(env, await codeFor(`nomfa@${CONTOSO}`));
      const failed = await redeemCode(env, 'not-a-code');

      expect(ok.headers.get('x-ms-request-id')).toMatch(GUID);
      expectAadError(failed, 400, 'invalid_grant', 70008);
      expect(failed.headers.get('x-ms-request-id')).toBe(failed.body.trace_id);
      expect(failed.body.error_description).toContain(`Trace ID: ${failed.body.trace_id}\r\n`);
      expect(ok.headers.get('x-ms-request-id')).not.toBe(failed.headers.get('x-ms-request-id'));
    });

    it('puts x-ms-request-id on a faulted token answer as well', async () => {
      expect((await control(env, 'POST', 'faults', { path: '/*/oauth2/v2.0/token', status: 503, count: 1 })).status).toBe(201);

      const response = await redeemCode(env, 'not-a-code');

      expect(response.status).toBe(503);
      expect(response.headers.get('x-ms-request-id')).toBe(response.body.trace_id);
    });

    it('takes the correlation id from the client-request-id query parameter, where MSAL puts it', async () => {
      const correlationId = randomUUID();

      const response = await badRefresh({ query: { 'client-request-id': correlationId } });

      expectAadError(response, 400, 'invalid_grant', 9002313);
      expect(response.body.correlation_id).toBe(correlationId);
      expect(response.body.error_description).toContain(`Correlation ID: ${correlationId}\r\n`);
      // MSAL.js does not send return-client-request-id: no echo header.
      expect(response.headers.get('client-request-id')).toBeNull();
    });

    it('prefers the client-request-id header over the query parameter, and replaces an id that is not a GUID', async () => {
      const [header, query] = [randomUUID(), randomUUID()];

      const both = await badRefresh({ headers: { 'client-request-id': header }, query: { 'client-request-id': query } });
      const notGuid = await badRefresh({ query: { 'client-request-id': 'my-request' } });

      expect(both.body.correlation_id).toBe(header);
      expect(notGuid.body.correlation_id).toMatch(GUID);
      expect(notGuid.body.correlation_id).not.toBe('my-request');
    });

    it('echoes client-request-id in a response header only when asked with return-client-request-id: true', async () => {
      const correlationId = randomUUID();
      const asking = { headers: { 'client-request-id': correlationId, 'return-client-request-id': 'true' } };

      const failed = await badRefresh(asking);
      const ok = await postToken(
        env,
        {
          grant_type: 'authorization_code',
          client_id: env.app.clientId,
          client_secret: env.app.clientSecret,
          code: await codeFor(`nomfa@${CONTOSO}`),
          redirect_uri: env.redirectUri,
        },
        asking,
      );
      const notAsking = await badRefresh({ headers: { 'client-request-id': correlationId } });

      expect(failed.headers.get('client-request-id')).toBe(correlationId);
      expect(failed.body.correlation_id).toBe(correlationId);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('client-request-id')).toBe(correlationId);
      expect(notAsking.headers.get('client-request-id')).toBeNull();
      expect(notAsking.body.correlation_id).toBe(correlationId);
    });
  });

  describe('control API', () => {
    it('overrides claims of exactly the next id_token', async () => {
      const override = await controlPost(env, 'id-token-overrides', {
        claims: { iss: 'https://evil.example/v2.0', aud: 'someone-else', nonce: null },
      });
      expect(override.status).toBe(200);

      const overridden = claimsOf((await tokensFor(env, `nomfa@${CONTOSO}`)).id_token);
      const normal = claimsOf((await tokensFor(env, `nomfa@${CONTOSO}`)).id_token);

      expect(overridden.iss).toBe('https://evil.example/v2.0');
      expect(overridden.aud).toBe('someone-else');
      expect(overridden).not.toHaveProperty('nonce');
      expect(normal.iss).toBe(`${env.url}/${DEMO_IDS.contosoTenant}/v2.0`);
      expect(normal.aud).toBe(env.app.clientId);
      expect(normal.nonce).toBe('nonce-456');
    });

    it('moves the clock forward, which moves token timestamps', async () => {
      const before = Date.parse((await controlGet(env, 'clock')).now);
      await controlPost(env, 'clock', { advanceSeconds: 3 * DAY_SECONDS });
      const after = Date.parse((await controlGet(env, 'clock')).now);
      const tokens = await tokensFor(env, `nomfa@${CONTOSO}`);

      expect(after - before).toBeGreaterThanOrEqual(3 * DAY_SECONDS * 1000);
      expect(claimsOf(tokens.access_token).iat * 1000).toBeGreaterThanOrEqual(after - 1000);
    });

    it('rejects a clock request without advanceSeconds', async () => {
      expect((await controlPost(env, 'clock', { advance: 3 })).status).toBe(400);
    });

    it('reset forgets consent, refresh tokens and the clock offset', async () => {
      const tokens = await tokensFor(env, `nomfa@${CONTOSO}`);
      await controlPost(env, 'clock', { advanceSeconds: DAY_SECONDS });

      await controlPost(env, 'reset');

      expectAadError(await refresh(env, tokens.refresh_token), 400, 'invalid_grant', 9002313);
      expect((await signIn(env, `nomfa@${CONTOSO}`)).pages).toEqual(['sign-in', 'consent']);
      expect(Math.abs(Date.parse((await controlGet(env, 'clock')).now) - Date.now())).toBeLessThan(60_000);
    });

    it('answers 404 for a password reset of an unknown user', async () => {
      expect((await controlPost(env, 'users/nobody@example.com/password-reset')).status).toBe(404);
    });
  });
});
