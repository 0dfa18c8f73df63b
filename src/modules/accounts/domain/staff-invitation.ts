import type { StaffRole } from '../../../shared/domain/staff-role';

// How long an invitation can be used: long enough for a colleague on holiday, short enough that a forgotten one
// does not linger as a way in.
export const INVITATION_LIFETIME_DAYS = 14;

// An Owner's invitation of a colleague from the organization's own Microsoft directory, by e-mail address. The
// colleague becomes a member with `role` at their first sign-in with an account of that directory whose sign-in
// name or mail address is `email`.
export class StaffInvitation {
  id: string;
  organizationId: string;
  email: string;
  role: StaffRole;
  invitedByUserId: string;
  invitedByName: string;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedUserId: string | null;
  revokedAt: Date | null;

  static create(input: {
    id: string;
    organizationId: string;
    email: string;
    role: StaffRole;
    invitedBy: { userId: string; name: string };
    now: Date;
  }): StaffInvitation {
    const invitation = new StaffInvitation();
    invitation.id = input.id;
    invitation.organizationId = input.organizationId;
    invitation.email = input.email.trim().toLowerCase();
    invitation.role = input.role;
    invitation.invitedByUserId = input.invitedBy.userId;
    invitation.invitedByName = input.invitedBy.name;
    invitation.createdAt = input.now;
    invitation.expiresAt = new Date(input.now.getTime() + INVITATION_LIFETIME_DAYS * 24 * 60 * 60 * 1000);
    invitation.acceptedAt = null;
    invitation.acceptedUserId = null;
    invitation.revokedAt = null;
    return invitation;
  }

  isOpen(now: Date): boolean {
    return !this.acceptedAt && !this.revokedAt && now < this.expiresAt;
  }

  accept(userId: string, now: Date): void {
    this.acceptedAt = now;
    this.acceptedUserId = userId;
  }

  revoke(now: Date): void {
    this.revokedAt = now;
  }
}

// A plain e-mail address (one @, a dot in the domain, no spaces): what an Owner types to invite a colleague.
export function isEmailAddress(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) && value.trim().length <= 254;
}
