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
  defaultScopes: string[]; // what `{resource}/.default` stands for in the demo app registration
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
    // The Sync 365 registration's static Graph permissions: sign-in, licences and GDAP.
    defaultScopes: ['User.Read', 'Organization.Read.All', 'Directory.Read.All', 'DelegatedAdminRelationship.Read.All'],
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
