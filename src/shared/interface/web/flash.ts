import type { Request, Response } from 'express';

// A one-time message shown on the next page the user sees.
export function flash(request: Request, kind: 'success' | 'info' | 'error', message: string): void {
  if (!request.session) return;
  (request.session.flash ??= []).push({ kind, message });
}

export function takeFlash(request: Request): { kind: string; message: string }[] {
  const messages = request.session?.flash ?? [];
  if (request.session?.flash) delete request.session.flash;
  return messages;
}

// Redirects only once the session is stored. express-session would otherwise send the redirect while it is still
// saving, and a fast browser's next request can read the session before the flash message (or a sign-in) is in it
// (passport saves the same way after a dashboard sign-in).
export async function redirectAfterSave(request: Request, response: Response, location: string): Promise<void> {
  if (request.session) await new Promise<void>((resolve, reject) => request.session.save((error) => (error ? reject(error) : resolve())));
  response.redirect(303, location);
}
