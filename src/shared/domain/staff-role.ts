// What a staff user of a partner may do in the dashboard. Each role includes the ones below it:
// viewer (reads everything) < billing (also billing, approvals, licensing) < admin (everything but people)
// < owner (everything, including people). Shared because every module's routes declare the role they need.
export const STAFF_ROLES = ['owner', 'admin', 'billing', 'viewer'] as const;

export type StaffRole = (typeof STAFF_ROLES)[number];

const RANK: Record<StaffRole, number> = { viewer: 0, billing: 1, admin: 2, owner: 3 };

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value);
}

// True when a user with `role` may do what needs `required`.
export function roleSatisfies(role: StaffRole, required: StaffRole): boolean {
  return RANK[role] >= RANK[required];
}

export const STAFF_ROLE_WORDS: Record<StaffRole, { name: string; description: string }> = {
  owner: { name: 'Owner', description: 'Everything, including inviting people and changing their roles' },
  admin: { name: 'Admin', description: 'Everything except people: connections, customers, licensing, settings' },
  billing: { name: 'Billing', description: 'Billing, portal approvals and licensing; read-only elsewhere' },
  viewer: { name: 'Viewer', description: 'Sees everything, changes nothing' },
};

// What a role may do, for pages that show or hide buttons (the server checks again on every request).
export function roleAbilities(role: StaffRole) {
  return {
    role,
    roleName: STAFF_ROLE_WORDS[role].name,
    change: roleSatisfies(role, 'admin'),
    billing: roleSatisfies(role, 'billing'),
    people: roleSatisfies(role, 'owner'),
  };
}
