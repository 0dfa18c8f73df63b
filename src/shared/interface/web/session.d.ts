import 'express-session';

declare module 'express-session' {
  interface SessionData {
    csrfToken?: string;
    flash?: { kind: 'success' | 'info' | 'error'; message: string; link?: { href: string; label: string } }[];
    returnTo?: string;
    // The invitation link a person opened before signing in (accounts: GET /auth/invitations/:id).
    invitationId?: string;
    // Set when an import was just queued: the next page shows the import banner at once (flash.ts).
    importExpectedSince?: string;
    // When the staff user signed in (ms since epoch): a session ends SESSION_ABSOLUTE_LIFETIME_MS after it,
    // however active it is.
    signedInAt?: number;
  }
}
