import type { Request, Response } from 'express';

// A one-time message shown on the next page the user sees.
// `link`: where the fix is (shown after the message).
export function flash(request: Request, kind: 'success' | 'info' | 'error', message: string, link?: { href: string; label: string }): void {
  if (!request.session) return;
  (request.session.flash ??= []).push({ kind, message, ...(link ? { link } : {}) });
}

// An import was just queued (consent granted, Run now, Refresh now): the next page shows the import banner at
// once and follows it, although the import's run may only be created a moment later, when its event is relayed.
export function expectImport(request: Request, now: Date): void {
  if (request.session) request.session.importExpectedSince = now.toISOString();
}

// The time the import was asked for, once (only a rendered page consumes it, like the flash).
export function takeImportExpected(request: Request): string | undefined {
  const since = request.session?.importExpectedSince;
  if (since) delete request.session.importExpectedSince;
  return since;
}

export function takeFlash(request: Request): { kind: string; message: string; link?: { href: string; label: string } }[] {
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
