// Whether the partner's service account can administer a customer through GDAP (DESIGN.md §1 step 5): an active
// delegated-admin relationship with the customer, and access assignments to one of the account's security groups
// that together hold at least Global Reader and Application Administrator (FACTS.md §3.4, §3.5).

export type GdapStatus = 'ok' | 'missing_roles' | 'expired' | 'no_gdap' | 'unknown';

export const GLOBAL_READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
export const APPLICATION_ADMINISTRATOR = '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3';
const REQUIRED_ROLES = [GLOBAL_READER, APPLICATION_ADMINISTRATOR];

// Entra built-in role template ids → names (FACTS.md §3.5), for showing what a relationship grants.
const ROLE_NAMES: Record<string, string> = {
  '62e90394-69f5-4237-9190-012177145e10': 'Global Administrator',
  [GLOBAL_READER]: 'Global Reader',
  [APPLICATION_ADMINISTRATOR]: 'Application Administrator',
  '158c047a-c907-4556-b7ef-446551a6b5f7': 'Cloud Application Administrator',
  'fe930be7-5e62-47db-91af-98c3a49a38b1': 'User Administrator',
  '4d6ac14f-3453-41d0-bef9-a3e0c569773a': 'License Administrator',
  '88d8e3e3-8f55-4a1e-953a-9b9898b8876b': 'Directory Readers',
  '9360feb5-f418-4baa-8175-e2a00bac4301': 'Directory Writers',
  'b0f54661-2d74-4c50-afa3-1ec803f12efe': 'Billing Administrator',
  '729827e3-9c14-49f7-bb1b-9608f156bbb8': 'Helpdesk Administrator',
  'f023fd81-a637-4b56-95fd-791ac0226033': 'Service Support Administrator',
  'e8611ab8-c189-46e8-94e1-60213ab1f814': 'Privileged Role Administrator',
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13': 'Privileged Authentication Administrator',
  '194ae4cb-b126-40b2-bd5b-6091b380977d': 'Security Administrator',
  '5d6b6bb7-de71-4623-b4af-96380a352509': 'Security Reader',
  '29232cdf-9323-42fd-ade2-1d097af3e4de': 'Exchange Administrator',
  'f28a1f50-f6e7-4571-818b-6a12f2af6b6c': 'SharePoint Administrator',
  '69091246-20e8-4a56-aa4d-066075b2a7a8': 'Teams Administrator',
  '3a2c62db-5318-420d-8d74-23affee5d9d5': 'Intune Administrator',
};

export function roleName(roleId: string): string {
  return ROLE_NAMES[roleId.toLowerCase()] ?? roleId;
}

export interface GdapInput {
  relationships: { id: string; displayName: string; status: string; endDateTime: string | null; roleIds: string[] }[];
  assignments: { relationshipId: string; status: string; groupId: string; roleIds: string[] }[];
  serviceAccountGroupIds: string[];
}

export interface GdapRelationshipView {
  displayName: string;
  status: string;
  endDateTime: string | null;
  // Roles the service account holds through this relationship.
  roles: string[];
}

export interface GdapEvaluation {
  status: GdapStatus;
  missingRoles: string[];
  relationships: GdapRelationshipView[];
}

export function evaluateGdap(input: GdapInput): GdapEvaluation {
  const groups = new Set(input.serviceAccountGroupIds.map((g) => g.toLowerCase()));
  const relationships = input.relationships.map((relationship) => {
    const roles = new Set<string>();
    for (const assignment of input.assignments) {
      if (assignment.relationshipId !== relationship.id || assignment.status !== 'active' || !groups.has(assignment.groupId.toLowerCase()))
        continue;
      // An assignment can only grant roles its relationship holds.
      for (const role of assignment.roleIds)
        if (relationship.roleIds.length === 0 || relationship.roleIds.includes(role)) roles.add(role.toLowerCase());
    }
    return { relationship, roles };
  });
  const views = relationships.map(({ relationship, roles }) => ({
    displayName: relationship.displayName,
    status: relationship.status,
    endDateTime: relationship.endDateTime,
    roles: [...roles].map(roleName).sort(),
  }));

  const active = relationships.filter(({ relationship }) => relationship.status === 'active');
  if (active.length === 0) {
    const expired = relationships.some(({ relationship }) => relationship.status === 'expired' || relationship.status === 'expiring');
    return { status: expired ? 'expired' : 'no_gdap', missingRoles: REQUIRED_ROLES.map(roleName), relationships: views };
  }
  const held = new Set(active.flatMap(({ roles }) => [...roles]));
  // Global Administrator covers both required roles.
  const missing = held.has('62e90394-69f5-4237-9190-012177145e10') ? [] : REQUIRED_ROLES.filter((r) => !held.has(r));
  return { status: missing.length === 0 ? 'ok' : 'missing_roles', missingRoles: missing.map(roleName), relationships: views };
}

export const GDAP_LABELS: Record<GdapStatus, string> = {
  ok: 'OK',
  missing_roles: 'Missing roles',
  expired: 'Expired',
  no_gdap: 'No GDAP',
  unknown: 'Not checked',
};

// What the partner should do about a status, in plain words.
export function gdapFix(status: GdapStatus, missingRoles: string[]): string | null {
  switch (status) {
    case 'ok':
      return null;
    case 'missing_roles':
      return `In Partner Center → Customers → this customer → Admin relationships, assign ${missingRoles.join(' and ')} to the security group of your Sync 365 service account (create a new relationship if the current one lacks these roles).`;
    case 'expired':
      return 'The GDAP relationship with this customer has expired. Request a new admin relationship in Partner Center with Global Reader and Application Administrator, and ask the customer to approve it.';
    case 'no_gdap':
      return 'There is no active GDAP relationship with this customer. Request an admin relationship in Partner Center with Global Reader and Application Administrator, have the customer approve it, then assign the roles to your Sync 365 service account’s security group.';
    case 'unknown':
      return 'Sync 365 could not read the GDAP relationships of this customer yet; see the reason, then select Retry.';
  }
}
