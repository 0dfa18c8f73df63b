import type { IOIDCStrategyOptionWithRequest } from 'passport-azure-ad';
import type { AppConfig } from '../../../config/app-config';

// The options every passport-azure-ad strategy of ours shares: authorization-code flow against the
// multi-tenant `common` endpoint, query response mode (a form_post is a cross-site POST that a SameSite=Lax
// session cookie does not survive, STACK.md P18), no PII in the library's logs.
// `sessionKey` keeps each flow's state and nonce apart, so a state issued for one flow is never accepted by
// the other's callback. `scope` goes to /authorize and, unless the callback passes extraTokenReqQueryParams.scope,
// to /token as well: it must be a combination Entra accepts at both (one resource, or one `.default` alone, plus
// OIDC scopes; FACTS.md §7a.1).
export function microsoftOidcOptions(
  config: AppConfig,
  sessionKey: string,
  redirectPath: string,
  scope: string[],
): IOIDCStrategyOptionWithRequest {
  return {
    identityMetadata: `${config.microsoft.loginBaseUrl}/common/v2.0/.well-known/openid-configuration`,
    clientID: config.microsoft.clientId,
    clientSecret: config.microsoft.clientSecret,
    responseType: 'code',
    responseMode: 'query',
    redirectUrl: `${config.appBaseUrl}${redirectPath}`,
    allowHttpForRedirectUrl: config.appBaseUrl.startsWith('http://'),
    // The issuer is the `{tenantid}` template on `common`, which the library cannot substitute (FACTS.md
    // §1.8): microsoftIdentity() (shared/application) checks it against `tid` instead.
    validateIssuer: false,
    passReqToCallback: true,
    scope,
    loggingLevel: 'error',
    loggingNoPII: true,
    nonceLifetime: 600,
    sessionKey,
  } as IOIDCStrategyOptionWithRequest;
}
