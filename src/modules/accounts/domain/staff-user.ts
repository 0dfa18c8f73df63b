import type { StaffRole } from '../../../shared/domain/staff-role';

export interface MicrosoftIdentity {
  tenantId: string;
  objectId: string;
  userPrincipalName: string;
  displayName: string;
  email?: string;
}

// A person of the partner who signs in to the dashboard. Identified by Entra object id within the organization's
// directory; name, UPN and email are refreshed from Microsoft at every sign-in because they can change there.
export class StaffUser {
  id: string;
  organizationId: string;
  entraObjectId: string;
  userPrincipalName: string;
  displayName: string;
  email: string | null;
  createdAt: Date;
  lastSignInAt: Date;
  role: StaffRole;

  static join(input: { id: string; organizationId: string; identity: MicrosoftIdentity; role: StaffRole; now: Date }): StaffUser {
    const user = new StaffUser();
    user.id = input.id;
    user.role = input.role;
    user.organizationId = input.organizationId;
    user.entraObjectId = input.identity.objectId.toLowerCase();
    user.createdAt = input.now;
    user.recordSignIn(input.identity, input.now);
    return user;
  }

  recordSignIn(identity: MicrosoftIdentity, now: Date): void {
    this.userPrincipalName = identity.userPrincipalName;
    this.displayName = identity.displayName.trim() || identity.userPrincipalName;
    this.email = identity.email ?? null;
    this.lastSignInAt = now;
  }

  // The addresses an invitation may name this person by: their sign-in name and their mail address, as their own
  // directory states them (an invitation is only ever matched within the organization's own directory).
  addresses(): string[] {
    return [this.userPrincipalName, this.email].filter((a): a is string => !!a).map((a) => a.toLowerCase());
  }
}
