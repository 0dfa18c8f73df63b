import { createHash, createPublicKey, createVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_IDS } from '../../libs/microsoft-emulator/src';
import { FABRIKAM, tokensFor, useTestEmulator } from './support/emulator-test-kit';

const sample = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'microsoft/aad-openid-configuration-common-v2.json'), 'utf8'),
) as Record<string, unknown>;
const jwksSample = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'microsoft/aad-jwks-common-v2-example.json'), 'utf8')) as {
  keys: Record<string, unknown>[];
};

describe('OIDC discovery and keys', () => {
  const env = useTestEmulator();

  async function discovery(tenant: string, query = ''): Promise<{ status: number; headers: Headers; body: Record<string, any> }> {
    const response = await fetch(`${env.url}/${tenant}/v2.0/.well-known/openid-configuration${query}`);
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
  }

  it('serves the common document with every field of Microsoft sample and the issuer template', async () => {
    const { status, headers, body } = await discovery('common');

    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(Object.keys(sample).sort());
    expect(body.issuer).toBe(`${env.url}/{tenantid}/v2.0`);
    expect(body.authorization_endpoint).toBe(`${env.url}/common/oauth2/v2.0/authorize`);
    expect(body.token_endpoint).toBe(`${env.url}/common/oauth2/v2.0/token`);
    expect(body.jwks_uri).toBe(`${env.url}/common/discovery/v2.0/keys`);
    expect(body.end_session_endpoint).toBe(`${env.url}/common/oauth2/v2.0/logout`);
    expect(body.userinfo_endpoint).toBe(`${env.url}/oidc/userinfo`);
    expect(body.response_types_supported).toEqual(sample.response_types_supported);
    expect(body.claims_supported).toEqual(sample.claims_supported);
    expect(body.id_token_signing_alg_values_supported).toEqual(['RS256']);
    expect(headers.get('cache-control')).toBe('max-age=86400, private');
  });

  it('never points a client at the real Microsoft hosts', async () => {
    const { body } = await discovery('common');

    expect(JSON.stringify(body)).not.toMatch(/login\.microsoftonline\.com|graph\.microsoft\.com\/oidc/);
  });

  it('serves the organizations document with the issuer template too', async () => {
    const { body } = await discovery('organizations');

    expect(body.issuer).toBe(`${env.url}/{tenantid}/v2.0`);
    expect(body.token_endpoint).toBe(`${env.url}/organizations/oauth2/v2.0/token`);
  });

  it('serves a tenant document with the concrete issuer of that tenant', async () => {
    const { body } = await discovery(DEMO_IDS.contosoTenant);

    expect(Object.keys(body).sort()).toEqual(Object.keys(sample).sort());
    expect(body.issuer).toBe(`${env.url}/${DEMO_IDS.contosoTenant}/v2.0`);
    expect(body.authorization_endpoint).toBe(`${env.url}/${DEMO_IDS.contosoTenant}/oauth2/v2.0/authorize`);
  });

  it('resolves a tenant by its domain and answers with its GUID', async () => {
    const { body } = await discovery(FABRIKAM);

    expect(body.issuer).toBe(`${env.url}/${DEMO_IDS.fabrikamTenant}/v2.0`);
    expect(body.token_endpoint).toBe(`${env.url}/${DEMO_IDS.fabrikamTenant}/oauth2/v2.0/token`);
  });

  it('ignores the query string passport-azure-ad appends', async () => {
    const { status, body } = await discovery('common', '?x-client-SKU=passport-azure-ad&x-client-Ver=4.3.5');

    expect(status).toBe(200);
    expect(body.issuer).toBe(`${env.url}/{tenantid}/v2.0`);
  });

  it('rejects an unknown tenant with AADSTS90002', async () => {
    const { status, body } = await discovery('no-such-tenant.example');

    expect(status).toBe(400);
    expect(body.error).toBe('invalid_tenant');
    expect(body.error_codes).toEqual([90002]);
    expect(body.error_description).toMatch(/^AADSTS90002: Tenant 'no-such-tenant.example' not found/);
  });

  it('publishes one RSA signing key shaped like Microsoft JWKS, kid = x5t = certificate thumbprint', async () => {
    const response = await fetch(`${env.url}/common/discovery/v2.0/keys`);
    const { keys } = (await response.json()) as { keys: Record<string, any>[] };

    expect(keys).toHaveLength(1);
    const [key] = keys;
    expect(Object.keys(key).sort()).toEqual(Object.keys(jwksSample.keys[0]).sort());
    expect(key).toMatchObject({ kty: 'RSA', use: 'sig', e: 'AQAB', issuer: `${env.url}/{tenantid}/v2.0` });
    expect(key.kid).toBe(key.x5t);
    expect(key.x5t).toBe(createHash('sha1').update(Buffer.from(key.x5c[0], 'base64')).digest('base64url'));
    expect(response.headers.get('cache-control')).toBe('max-age=86400, private');
  });

  it('gives tenant keys the concrete issuer', async () => {
    const response = await fetch(`${env.url}/${DEMO_IDS.contosoTenant}/discovery/v2.0/keys`);
    const { keys } = (await response.json()) as { keys: Record<string, any>[] };

    expect(keys[0].issuer).toBe(`${env.url}/${DEMO_IDS.contosoTenant}/v2.0`);
  });

  it('publishes the key that verifies the id_tokens it issues', async () => {
    const tokens = await tokensFor(env, 'nomfa@contoso-partners.example');
    const { keys } = (await (await fetch(`${env.url}/common/discovery/v2.0/keys`)).json()) as { keys: Record<string, any>[] };
    const [headerPart, payloadPart, signature] = (tokens.id_token as string).split('.');
    const header = JSON.parse(Buffer.from(headerPart, 'base64url').toString()) as Record<string, string>;
    const jwk = keys.find((key) => key.kid === header.kid);

    expect(header).toEqual({ typ: 'JWT', alg: 'RS256', kid: keys[0].kid });
    const publicKey = createPublicKey({ key: { kty: jwk!.kty, n: jwk!.n, e: jwk!.e }, format: 'jwk' });
    const verified = createVerify('RSA-SHA256')
      .update(`${headerPart}.${payloadPart}`)
      .verify(publicKey, Buffer.from(signature, 'base64url'));
    expect(verified).toBe(true);
    const tampered = createVerify('RSA-SHA256')
      .update(`${headerPart}.${payloadPart}x`)
      .verify(publicKey, Buffer.from(signature, 'base64url'));
    expect(tampered).toBe(false);
  });
});
