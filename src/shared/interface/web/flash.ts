import type { Request } from 'express';

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
