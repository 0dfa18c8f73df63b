import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

// Who is making a request: a signed-in staff user of one organization. Every query a request makes is scoped
// to `organizationId`.
export interface Actor {
  userId: string;
  organizationId: string;
  displayName: string;
  userPrincipalName: string;
  organizationName: string;
}

// What the session stores after sign-in (ids only; names are re-read each request).
export interface SessionPrincipal {
  userId: string;
  organizationId: string;
}

export type RequestWithActor = Request & { actor?: Actor };

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<RequestWithActor>().actor;
  if (!actor) throw new Error('CurrentActor used on a route without an authenticated actor (is it @Public()?)');
  return actor;
});

export const IS_PUBLIC = 'sync365:public';
// Routes are private by default; this marks the few that are not (sign-in, health, assets).
export const Public = () => SetMetadata(IS_PUBLIC, true);
