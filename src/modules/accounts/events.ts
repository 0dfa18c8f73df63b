// Integration events the accounts module publishes (durably, through the outbox).
export const INVITATION_CREATED = 'accounts.invitation-created';

// An Owner invited a colleague: whoever sends e-mail can tell them. `signInUrl` is the link that signs them in
// (and, if they use an account of another directory, tells them why it does not work).
export interface InvitationCreatedPayload {
  invitationId: string;
  email: string;
  role: string;
  roleName: string;
  organizationName: string;
  invitedByName: string;
  signInUrl: string;
  expiresAt: string;
}

// The event as subscribers name it.
export type InvitationCreated = InvitationCreatedPayload;
