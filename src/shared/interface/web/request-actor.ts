import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../application/actor';
import type { StaffRole } from '../../domain/staff-role';

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

export const REQUIRED_ROLE = 'sync365:required-role';
// The staff role a dashboard route needs when it differs from the safe default the role guard applies to every
// route (GET/HEAD: viewer; anything that changes state: admin). E.g. @RequiresRole('owner') for people,
// @RequiresRole('billing') for billing, approvals and licensing changes. Partner API requests made with an API
// key are judged by their scopes instead; @Public() routes (sign-in, health, the customer portal) by nobody.
export const RequiresRole = (role: StaffRole) => SetMetadata(REQUIRED_ROLE, role);
