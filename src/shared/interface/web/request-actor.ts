import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../application/actor';

export type { Actor, SessionPrincipal } from '../../application/actor';

export type RequestWithActor = Request & { actor?: Actor };

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<RequestWithActor>().actor;
  if (!actor) throw new Error('CurrentActor used on a route without an authenticated actor (is it @Public()?)');
  return actor;
});

export const IS_PUBLIC = 'sync365:public';
// Routes are private by default; this marks the few that are not (sign-in, health, assets).
export const Public = () => SetMetadata(IS_PUBLIC, true);
