import 'express-session';

declare module 'express-session' {
  interface SessionData {
    csrfToken?: string;
    flash?: { kind: 'success' | 'info' | 'error'; message: string }[];
    returnTo?: string;
  }
}
