import { DEMO_IDS } from '../../libs/microsoft-emulator/src';
import { CONTOSO, controlGet, controlPost, FABRIKAM, useTestEmulator, tokensFor } from './support/emulator-test-kit';

describe('Microsoft Graph: the slice sign-in needs', () => {
  const env = useTestEmulator();

  async function graph(path: string, token?: string): Promise<{ status: number; headers: Headers; body: any }> {
    const response = await fetch(`${env.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.status, headers: response.headers, body: await response.json() };
  }

  function expectGraphError(response: { status: number; body: any }, status: number, code: string): void {
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(response.body.error.message).toEqual(expect.any(String));
    expect(Object.keys(response.body.error.innerError).sort()).toEqual(['client-request-id', 'date', 'request-id']);
  }

  it('returns the organization of the signed-in user with a valid token', async () => {
    const tokens = await tokensFor(env, `admin@${CONTOSO}`);

    const { status, body } = await graph('/v1.0/organization', tokens.access_token);

    expect(status).toBe(200);
    expect(body['@odata.context']).toBe(`${env.url}/v1.0/$metadata#organization`);
    expect(body.value).toHaveLength(1);
    expect(body.value[0]).toMatchObject({
      id: DEMO_IDS.contosoTenant,
      displayName: 'Contoso Partners',
      tenantType: 'AAD',
      verifiedDomains: [
        { name: CONTOSO, isDefault: true, isInitial: true, type: 'Managed', capabilities: 'Email, OfficeCommunicationsOnline' },
      ],
    });
  });

  it("returns the other organization's own data for its users", async () => {
    const tokens = await tokensFor(env, `admin@${FABRIKAM}`);

    const { body } = await graph('/v1.0/organization', tokens.access_token);

    expect(body.value.map((organization: { id: string }) => organization.id)).toEqual([DEMO_IDS.fabrikamTenant]);
  });

  it('returns the signed-in user from /me', async () => {
    const tokens = await tokensFor(env, `s365@${CONTOSO}`);

    const { status, body } = await graph('/v1.0/me', tokens.access_token);

    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: DEMO_IDS.contosoServiceAccount,
      displayName: 'Sync 365 Service Account',
      givenName: 'Sync 365',
      surname: 'Service Account',
      userPrincipalName: `s365@${CONTOSO}`,
      mail: `s365@${CONTOSO}`,
    });
  });

  it('answers 401 InvalidAuthenticationToken in the Graph error envelope without a token', async () => {
    const response = await graph('/v1.0/organization');

    expectGraphError(response, 401, 'InvalidAuthenticationToken');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  it('answers 401 for a token signed by someone else', async () => {
    const tokens = await tokensFor(env, `admin@${CONTOSO}`);
    const [header, payload] = (tokens.access_token as string).split('.');

    expectGraphError(
      await graph('/v1.0/me', `${header}.${payload}.${Buffer.from('forged').toString('base64url')}`),
      401,
      'InvalidAuthenticationToken',
    );
  });

  it('answers 401 for an expired token', async () => {
    const tokens = await tokensFor(env, `admin@${CONTOSO}`);
    await controlPost(env, 'clock', { advanceSeconds: 2 * 60 * 60 });

    expectGraphError(await graph('/v1.0/me', tokens.access_token), 401, 'InvalidAuthenticationToken');
  });

  it('answers 401 for a token issued for Partner Center', async () => {
    const scope = 'openid offline_access https://api.partnercenter.microsoft.com/user_impersonation';
    const tokens = await tokensFor(env, `admin@${CONTOSO}`, { scope });

    expectGraphError(await graph('/v1.0/organization', tokens.access_token), 401, 'InvalidAuthenticationToken');
  });

  it('serves the userinfo endpoint named in the discovery document', async () => {
    const tokens = await tokensFor(env, `admin@${CONTOSO}`);

    const { status, body } = await graph('/oidc/userinfo', tokens.access_token);

    expect(status).toBe(200);
    expect(body).toMatchObject({ name: 'Contoso Admin', email: `admin@${CONTOSO}` });
  });

  it('counts requests per route pattern, without the control API', async () => {
    await tokensFor(env, `nomfa@${CONTOSO}`);
    await fetch(`${env.url}/common/v2.0/.well-known/openid-configuration`);
    await fetch(`${env.url}/${DEMO_IDS.contosoTenant}/v2.0/.well-known/openid-configuration`);
    await graph('/v1.0/organization');

    const counts = await controlGet(env, 'requests');

    expect(counts).toEqual({
      'GET /{tenant}/oauth2/v2.0/authorize': 1,
      'POST /{tenant}/login': 1,
      'POST /{tenant}/login/consent': 1,
      'POST /{tenant}/oauth2/v2.0/token': 1,
      'GET /{tenant}/v2.0/.well-known/openid-configuration': 2,
      'GET /v1.0/organization': 1,
    });
  });
});
