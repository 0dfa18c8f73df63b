import { EntraTokenClient, EntraTokenError, MicrosoftApiError } from '../../libs/microsoft/src';
import { fixtureResponse, GUID, recordingSleep, ScriptedHttpsServer } from './support/scripted-https-server';

const CLIENT_ID = '05140dd9-f1b6-4b32-ad59-2aa03e38dac4';
const CLIENT_SECRET = 'client-secret-value~not-for-messages';
const CUSTOMER_TENANT = '52eaad04-13a2-4a2f-9ce8-93a294fadf36';

const tokenResponse = {
  token_type: 'Bearer',
  scope: 'https://api.partnercenter.microsoft.com/user_impersonation',
  expires_in: 3599,
  ext_expires_in: 3599,
  access_token: 'eyJ.access.token',
  refresh_token: 'refresh-token-2',
  id_token: 'eyJ.id.token',
};

describe('EntraTokenClient (v2 token endpoint)', () => {
  let server: ScriptedHttpsServer;
  let client: EntraTokenClient;
  let clock: ReturnType<typeof recordingSleep>;

  beforeAll(async () => {
    server = await ScriptedHttpsServer.start();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.reset();
    clock = recordingSleep();
    client = new EntraTokenClient({
      loginBaseUrl: server.url,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      sleep: clock.sleep,
      random: () => 0.5,
    });
  });

  it('redeems an authorization code with PKCE, posting the documented form fields', async () => {
    server.script('POST /organizations/oauth2/v2.0/token', { json: tokenResponse });

    const tokens = await client.redeemAuthorizationCode({
      tenant: 'organizations',
      code: 'auth-code-1',
      redirectUri: 'https://app.example/consent/callback',
      codeVerifier: 'verifier-123',
      scope: ['offline_access', 'https://api.partnercenter.microsoft.com/user_impersonation'],
    });

    expect(tokens).toEqual({
      accessToken: 'eyJ.access.token',
      refreshToken: 'refresh-token-2',
      idToken: 'eyJ.id.token',
      expiresIn: 3599,
      extExpiresIn: 3599,
      scope: 'https://api.partnercenter.microsoft.com/user_impersonation',
      tokenType: 'Bearer',
    });
    const [request] = server.requests;
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.headers['client-request-id']).toMatch(GUID);
    expect(request.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      grant_type: 'authorization_code',
      code: 'auth-code-1',
      redirect_uri: 'https://app.example/consent/callback',
      code_verifier: 'verifier-123',
      scope: 'offline_access https://api.partnercenter.microsoft.com/user_impersonation',
    });
  });

  it('redeems a refresh token at a customer tenant (GDAP), reading numbers sent as strings', async () => {
    server.script(`POST /${CUSTOMER_TENANT}/oauth2/v2.0/token`, {
      json: {
        ...tokenResponse,
        expires_in: '3599',
        ext_expires_in: '3599',
        id_token: undefined,
        scope: 'https://graph.microsoft.com/.default',
      },
    });

    const tokens = await client.redeemRefreshToken({
      tenant: CUSTOMER_TENANT,
      refreshToken: 'refresh-token-1',
      scope: 'https://graph.microsoft.com/.default',
    });

    expect(tokens).toMatchObject({
      accessToken: 'eyJ.access.token',
      refreshToken: 'refresh-token-2',
      expiresIn: 3599,
      extExpiresIn: 3599,
      scope: 'https://graph.microsoft.com/.default',
    });
    expect(tokens.idToken).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(server.requests[0].body))).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-token-1',
      scope: 'https://graph.microsoft.com/.default',
    });
  });

  it('turns aad-token-error-invalid_scope.json into an EntraTokenError, without retrying or leaking secrets', async () => {
    server.script('POST /common/oauth2/v2.0/token', fixtureResponse('aad-token-error-invalid_scope.json', 400));

    const error = (await client
      .redeemAuthorizationCode({
        tenant: 'common',
        code: 'auth-code-1',
        redirectUri: 'https://app.example/cb',
        scope: 'https://foo.microsoft.com/mail.read',
      })
      .catch((caught: unknown) => caught)) as EntraTokenError;

    expect(error).toBeInstanceOf(EntraTokenError);
    expect(error).toBeInstanceOf(MicrosoftApiError);
    expect(error).toMatchObject({
      service: 'entra',
      status: 400,
      error: 'invalid_scope',
      code: 'invalid_scope',
      aadstsCodes: [70011],
      traceId: '0000aaaa-11bb-cccc-dd22-eeeeee333333',
      correlationId: 'aaaa0000-bb11-2222-33cc-444444dddddd',
      timestamp: '2016-01-09 02:02:12Z',
      microsoftMessage:
        "AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope https://foo.microsoft.com/mail.read is not valid.",
      attempts: 1,
    });
    expect(error.requestId).toBe(server.requests[0].headers['client-request-id']);
    expect(error.message).toBe(
      "Microsoft Entra ID token request /common/oauth2/v2.0/token failed with HTTP 400 invalid_scope: AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope https://foo.microsoft.com/mail.read is not valid.",
    );
    for (const secret of [CLIENT_SECRET, 'auth-code-1', 'Trace ID']) expect(error.message).not.toContain(secret);
    expect(server.requests).toHaveLength(1);
  });

  it('reads AADSTS codes from the description when error_codes is missing, and keeps suberror', async () => {
    server.script('POST /common/oauth2/v2.0/token', {
      status: 400,
      json: {
        error: 'invalid_grant',
        error_description:
          'AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: 2024-01-01 00:00:00Z',
        suberror: 'basic_action',
        claims: '{"access_token":{"capolids":{"essential":true,"values":["p1"]}}}',
      },
    });

    const error = (await client
      .redeemRefreshToken({ tenant: 'common', refreshToken: 'rt', scope: 'openid' })
      .catch((caught: unknown) => caught)) as EntraTokenError;

    expect(error).toMatchObject({
      error: 'invalid_grant',
      aadstsCodes: [50076],
      suberror: 'basic_action',
      correlationId: expect.stringMatching(GUID),
    });
    expect(error.claims).toContain('capolids');
  });

  it('retries a 503 and a 429 on the token endpoint, then succeeds', async () => {
    server.script(
      'POST /common/oauth2/v2.0/token',
      { status: 503, body: '' },
      {
        status: 429,
        headers: { 'retry-after': '3' },
        json: { error: 'temporarily_unavailable', error_description: 'AADSTS90033: A transient error has occurred.', error_codes: [90033] },
      },
      { json: tokenResponse },
    );

    const tokens = await client.redeemRefreshToken({ tenant: 'common', refreshToken: 'rt', scope: 'openid offline_access' });

    expect(tokens.accessToken).toBe('eyJ.access.token');
    expect(clock.waits).toEqual([750, 3_000]);
    expect(new Set(server.requests.map((request) => request.headers['client-request-id'])).size).toBe(1);
  });

  it('gives a typed error for an HTML error page', async () => {
    client = new EntraTokenClient({
      loginBaseUrl: server.url,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      sleep: clock.sleep,
      retry: { maxAttempts: 1 },
    });
    server.script('POST /common/oauth2/v2.0/token', { status: 500, headers: { 'content-type': 'text/html' }, body: '<html>Sorry</html>' });

    const error = await client
      .redeemRefreshToken({ tenant: 'common', refreshToken: 'rt', scope: 'openid' })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(EntraTokenError);
    expect(error).toMatchObject({
      status: 500,
      error: 'http_500',
      aadstsCodes: [],
      message:
        'Microsoft Entra ID token request /common/oauth2/v2.0/token failed with HTTP 500 Internal Server Error with a body that is not a Microsoft error',
    });
  });

  it('rejects a success body without an access token', async () => {
    server.script('POST /common/oauth2/v2.0/token', { json: { token_type: 'Bearer' } });

    await expect(client.redeemRefreshToken({ tenant: 'common', refreshToken: 'rt', scope: 'openid' })).rejects.toMatchObject({
      code: 'malformed_response',
      service: 'entra',
    });
  });

  it('refuses a tenant that would change the path', async () => {
    await expect(client.redeemRefreshToken({ tenant: '../evil', refreshToken: 'rt', scope: 'openid' })).rejects.toThrow('Not a tenant id');
    expect(server.requests).toHaveLength(0);
  });
});
