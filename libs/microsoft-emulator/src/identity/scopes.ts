// Scopes the emulator knows, with the names Microsoft's consent page shows for them.

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const PARTNER_CENTER_RESOURCE = 'https://api.partnercenter.microsoft.com';

export const OIDC_SCOPES: Record<string, string> = {
  openid: 'Sign you in',
  profile: 'View your basic profile',
  email: 'View your email address',
  offline_access: 'Maintain access to data you have given it access to',
};

interface Resource {
  uri: string;
  scopes: Record<string, string>; // scope value → consent display name
  // The demo app registration's static permissions on this resource (Entra's requiredResourceAccess): what
  // `{resource}/.default` stands for. The README's production set-up lists the same ones.
  defaultScopes: string[];
}

// Add a resource (or a scope) here when a later emulator area needs it.
const RESOURCES: Resource[] = [
  {
    uri: GRAPH_RESOURCE,
    scopes: {
      'User.Read': 'Sign in and read user profile',
      'User.Read.All': "Read all users' full profiles",
      'Organization.Read.All': 'Read organization information',
      'Directory.Read.All': 'Read directory data',
      'GroupMember.Read.All': 'Read group memberships',
      'DelegatedAdminRelationship.Read.All': 'Read Delegated Admin relationships with customers',
      'DelegatedAdminRelationship.ReadWrite.All': 'Manage Delegated Admin relationships with customers',
    },
    // The Sync 365 registration's static Graph permissions, least privileged for each call it makes:
    // User.Read (sign-in, /organization, /me/memberOf), Organization.Read.All (customers' subscribedSkus and
    // directory/subscriptions through GDAP), DelegatedAdminRelationship.Read.All (GDAP relationships).
    defaultScopes: ['User.Read', 'Organization.Read.All', 'DelegatedAdminRelationship.Read.All'],
  },
  {
    uri: PARTNER_CENTER_RESOURCE,
    scopes: { user_impersonation: 'Access Partner Center' },
    defaultScopes: ['user_impersonation'],
  },
];

// A scope in canonical form: OIDC scopes bare (`openid`), resource scopes as `{resource}/{scope}`.
export type Scope = string;

export type ParsedScopes = { ok: true; scopes: Scope[] } | { ok: false; invalid: string };

// Bare resource scopes (`User.Read`) belong to Microsoft Graph, as on login.microsoftonline.com.
// Scope values are case-insensitive there too.
export function parseScopes(raw: string | undefined): ParsedScopes {
  const scopes: Scope[] = [];
  for (const value of (raw ?? '').split(/\s+/).filter(Boolean)) {
    const canonical = canonicalScopes(value);
    if (!canonical) return { ok: false, invalid: value };
    for (const scope of canonical) if (!scopes.includes(scope)) scopes.push(scope);
  }
  return { ok: true, scopes };
}

function canonicalScopes(value: string): Scope[] | undefined {
  const oidc = Object.keys(OIDC_SCOPES).find((name) => name === value.toLowerCase());
  if (oidc) return [oidc];
  const slash = value.lastIndexOf('/');
  const resourceUri = slash === -1 ? GRAPH_RESOURCE : value.slice(0, slash);
  const name = slash === -1 ? value : value.slice(slash + 1);
  const resource = RESOURCES.find((candidate) => candidate.uri.toLowerCase() === resourceUri.toLowerCase().replace(/\/+$/, ''));
  if (!resource) return undefined;
  if (name === '.default') return resource.defaultScopes.map((scope) => `${resource.uri}/${scope}`);
  const known = Object.keys(resource.scopes).find((scope) => scope.toLowerCase() === name.toLowerCase());
  return known ? [`${resource.uri}/${known}`] : undefined;
}

export function isOidcScope(scope: Scope): boolean {
  return scope in OIDC_SCOPES;
}

export function resourceOf(scope: Scope): string | undefined {
  if (isOidcScope(scope)) return undefined;
  return scope.slice(0, scope.lastIndexOf('/'));
}

export function scopeName(scope: Scope): string {
  return isOidcScope(scope) ? scope : scope.slice(scope.lastIndexOf('/') + 1);
}

// Distinct resources in request order.
export function resourcesOf(scopes: Scope[]): string[] {
  const resources: string[] = [];
  for (const scope of scopes) {
    const resource = resourceOf(scope);
    if (resource && !resources.includes(resource)) resources.push(resource);
  }
  return resources;
}

export function consentDisplayName(scope: Scope): string {
  if (isOidcScope(scope)) return OIDC_SCOPES[scope];
  const resource = RESOURCES.find((candidate) => candidate.uri === resourceOf(scope));
  return resource?.scopes[scopeName(scope)] ?? scope;
}

// True when the raw scope string asks for `{resource}/.default`.
export function asksForDefault(raw: string | undefined): boolean {
  return (raw ?? '').split(/\s+/).some((value) => value.toLowerCase().endsWith('/.default'));
}

export function allGranted(requested: Scope[], granted: Scope[]): boolean {
  return requested.every((scope) => granted.includes(scope));
}

// Every static permission of the app registration, across resources: what a `.default` request at /authorize
// (or /adminconsent) asks the user or admin to consent to (FACTS.md §7a.1).
export function appStaticPermissions(): Scope[] {
  return RESOURCES.flatMap((resource) => resource.defaultScopes.map((scope) => `${resource.uri}/${scope}`));
}

// What a consent to this request covers: with `.default`, the app's whole static list, whatever resource
// was named; otherwise the scopes asked for.
export function consentScopes(scopes: Scope[], staticConsent: boolean): Scope[] {
  return staticConsent ? [...new Set([...scopes, ...appStaticPermissions()])] : scopes;
}

export interface ScopeRefusal {
  error: 'invalid_scope';
  code: number;
  message: string;
}

// Combinations Entra refuses (FACTS.md §7a.1). Call after parseScopes succeeded: every value is known.
// - `{resource}/.default` with a resource-specific scope, of the same or another resource: AADSTS70011, the
//   wording quoted in microsoft-authentication-library-for-js#1718.
// - two `.default` of different resources: AADSTS70011 without that sentence (the body recorded in
//   Azure/azure-sdk-for-net#9076, a token request; assumed the same at /authorize, undocumented).
// - at /token (oneResource), scopes of more than one resource: AADSTS28000 (Earlybyte/aad_oauth#328,
//   microsoft/Partner-Center-PowerShell#167). Its `error` value is not quoted anywhere: invalid_scope assumed.
// OIDC scopes (openid profile email offline_access) go with anything. Entra echoes the scopes as sent.
export function incompatibleScopes(raw: string, options: { oneResource: boolean }): ScopeRefusal | undefined {
  const values = raw.split(/\s+/).filter(Boolean);
  const listed = values.join(' ');
  const resourceValues = values.map(classify).filter((value): value is { resource: string; isDefault: boolean } => value !== undefined);
  const defaults = resourceValues.filter((value) => value.isDefault);
  const invalid = `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${listed} is not valid.`;
  if (defaults.length > 0 && resourceValues.some((value) => !value.isDefault)) {
    return { error: 'invalid_scope', code: 70011, message: `${invalid} .default scope can't be combined with resource-specific scopes.` };
  }
  if (new Set(defaults.map((value) => value.resource)).size > 1) return { error: 'invalid_scope', code: 70011, message: invalid };
  if (options.oneResource && new Set(resourceValues.map((value) => value.resource)).size > 1) {
    return {
      error: 'invalid_scope',
      code: 28000,
      message: `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${listed} is not valid.`,
    };
  }
  return undefined;
}

// undefined for OIDC scopes (and unknown ones, which parseScopes refuses first).
function classify(value: string): { resource: string; isDefault: boolean } | undefined {
  const canonical = canonicalScopes(value);
  const resource = canonical?.map(resourceOf).find((candidate) => candidate !== undefined);
  return resource ? { resource, isDefault: value.toLowerCase().endsWith('/.default') } : undefined;
}
