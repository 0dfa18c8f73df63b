import 'express-session';

declare module 'express-session' {
  interface SessionData {
    csrfToken?: string;
    flash?: { kind: 'success' | 'info' | 'error'; message: string }[];
    returnTo?: string;
    // When the staff user signed in (ms since epoch): a session ends SESSION_ABSOLUTE_LIFETIME_MS after it,
    // however active it is.
    signedInAt?: number;
  }
}
