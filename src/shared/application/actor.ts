import type { StaffRole } from '../domain/staff-role';

// Who is making a request: a signed-in staff user of one organization. Every query a request makes is scoped
// to `organizationId`.
export interface Actor {
  userId: string;
  organizationId: string;
  displayName: string;
  userPrincipalName: string;
  organizationName: string;
  // Re-read on every request: a changed role applies from the next request on.
  role: StaffRole;
}

// What the session stores after sign-in (ids only; names are re-read each request).
export interface SessionPrincipal {
  userId: string;
  organizationId: string;
}

// Who acted, as audit entries and histories name them: a staff user, an API key ("API key “Billing system”"), or the
// system (a scheduled job: userId null). Every change it makes is scoped to `organizationId`.
export interface ActingParty {
  organizationId: string;
  userId: string | null;
  name: string;
}

export function staffParty(actor: Actor): ActingParty {
  return { organizationId: actor.organizationId, userId: actor.userId, name: actor.displayName };
}
