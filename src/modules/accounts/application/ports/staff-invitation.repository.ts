import type { StaffInvitation } from '../../domain/staff-invitation';

export abstract class StaffInvitationRepository {
  abstract findById(organizationId: string, id: string): Promise<StaffInvitation | null>;
  // The one lookup not scoped by a known organization: the invitation link carries only its id, and the sign-in
  // needs to know which organization (directory) it is for before anyone is signed in.
  abstract findByIdForSignIn(id: string): Promise<StaffInvitation | null>;
  // Open (not accepted, withdrawn or expired) invitations, newest first.
  abstract listOpen(organizationId: string, now: Date): Promise<StaffInvitation[]>;
  // The open invitation naming one of `addresses` (lower-case), if any.
  abstract findOpenFor(organizationId: string, addresses: string[], now: Date): Promise<StaffInvitation | null>;
  // Any not-yet-used, not-withdrawn invitation for the address (expired included): inviting again replaces it.
  abstract findUnusedByEmail(organizationId: string, email: string): Promise<StaffInvitation | null>;
  abstract add(invitation: StaffInvitation): void;
}
