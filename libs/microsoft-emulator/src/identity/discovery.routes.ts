import type { Request, Response } from 'express';
import type { RouteRegistrar } from '../http/route-hooks';
import type { EmulatorState } from '../state/emulator-state';
import { sendAadJsonError } from './aad-error';
import { ISSUER_TEMPLATE_TENANT, issuerFor, resolveTenant, tenantNotFoundMessage, type TenantTarget } from './tenants';

// Same header Microsoft sends on discovery and keys (clients may cache for a day).
const CACHE_CONTROL = 'max-age=86400, private';

export function registerDiscoveryRoutes(router: RouteRegistrar, state: EmulatorState): void {
  // Query strings are ignored: passport-azure-ad appends ?x-client-SKU=...&x-client-Ver=...
  router.get('/:tenant/v2.0/.well-known/openid-configuration', (req, res) => {
    const target = resolveOrFail(state, req, res);
    if (!target) return;
    res.set('Cache-Control', CACHE_CONTROL).set('Access-Control-Allow-Origin', '*').json(openIdConfiguration(state, target));
  });

  router.get('/:tenant/discovery/v2.0/keys', (req, res) => {
    const target = resolveOrFail(state, req, res);
    if (!target) return;
    const key = state.signingKey;
    res
      .set('Cache-Control', CACHE_CONTROL)
      .set('Access-Control-Allow-Origin', '*')
      .json({
        keys: [
          {
            kty: 'RSA',
            use: 'sig',
            kid: key.kid,
            x5t: key.kid,
            n: key.n,
            e: key.e,
            x5c: [key.x5c],
            issuer: issuerFor(state, target.kind === 'tenant' ? target.tenant.id : ISSUER_TEMPLATE_TENANT),
          },
        ],
      });
  });
}

function resolveOrFail(state: EmulatorState, req: Request, res: Response): TenantTarget | undefined {
  const segment = String(req.params.tenant);
  const target = resolveTenant(state, segment);
  if (!target) {
    sendAadJsonError(state, req, res, { status: 400, error: 'invalid_tenant', code: 90002, message: tenantNotFoundMessage(segment) });
  }
  return target;
}

// Field for field the shape of payloads/aad-openid-configuration-common-v2.json.
function openIdConfiguration(state: EmulatorState, target: TenantTarget): Record<string, unknown> {
  const base = state.baseUrl;
  // Tenant documents use the tenant GUID in their URLs even when asked for by domain.
  const segment = target.kind === 'tenant' ? target.tenant.id : target.segment;
  const host = new URL(base).host;
  return {
    token_endpoint: `${base}/${segment}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/${segment}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: issuerFor(state, target.kind === 'tenant' ? target.tenant.id : ISSUER_TEMPLATE_TENANT),
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${base}/oidc/userinfo`,
    authorization_endpoint: `${base}/${segment}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/${segment}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/${segment}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    kerberos_endpoint: `${base}/${segment}/kerberos`,
    tenant_region_scope: target.kind === 'tenant' ? 'NA' : null,
    cloud_instance_name: 'microsoftonline.com',
    // Graph is served by this same emulator.
    cloud_graph_host_name: host,
    msgraph_host: host,
    rbac_url: base,
  };
}
