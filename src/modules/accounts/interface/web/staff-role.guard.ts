import { Injectable, type CanActivate, type ExecutionContext, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { roleSatisfies, STAFF_ROLE_WORDS, type StaffRole } from '../../../../shared/domain/staff-role';
import type { RequestWithApiCaller } from '../../../../shared/interface/http/partner-api';
import { IS_PUBLIC, REQUIRED_ROLE, type RequestWithActor } from '../../../../shared/interface/web/request-actor';
import { RoleForbiddenError, SignInRequiredError } from '../../domain/accounts.errors';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// The role a route needs: what it declares with @RequiresRole, else the safe default — reading needs Viewer,
// anything that changes state needs Admin. A route nobody thought about is therefore never open to more people
// than an Admin. (A GET that changes state must declare its role: the consent callback does.)
// A route handler as Nest hands it over (ExecutionContext.getHandler()).
export type RouteHandler = ReturnType<ExecutionContext['getHandler']>;

export function requiredRoleOf(reflector: Reflector, handler: RouteHandler, controller: Type<unknown>, method: string): StaffRole {
  const declared = reflector.getAllAndOverride<StaffRole | undefined>(REQUIRED_ROLE, [handler, controller]);
  return declared ?? (READ_METHODS.has(method.toUpperCase()) ? 'viewer' : 'admin');
}

// The second of the two guards every request passes (registered after RequestAuthGuard, which establishes who is
// asking): may this staff user's role do this? @Public() routes (sign-in, health, the customer portal with its own
// sign-in) are not staff routes; a partner API request made with an API key is judged by the key's scopes
// (RequestAuthGuard). Everything else — pages, forms, and the API used with the dashboard session — by role.
@Injectable()
export class StaffRoleGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & RequestWithActor & RequestWithApiCaller>();
    if (request.apiCaller?.via === 'api-key') return true;
    // Fails closed: a private route reached without an actor means the request guard did not run first.
    const actor = request.actor;
    if (!actor) throw new SignInRequiredError();
    const required = requiredRoleOf(this.reflector, context.getHandler(), context.getClass(), request.method);
    if (!roleSatisfies(actor.role, required))
      throw new RoleForbiddenError(STAFF_ROLE_WORDS[actor.role]?.name ?? String(actor.role), STAFF_ROLE_WORDS[required].name);
    return true;
  }
}
