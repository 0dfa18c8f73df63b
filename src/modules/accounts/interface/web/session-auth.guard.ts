import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC, type RequestWithActor, type SessionPrincipal } from '../../../../shared/interface/web/request-actor';
import { LoadActorUseCase } from '../../application/load-actor.use-case';
import { SignInRequiredError } from '../../domain/accounts.errors';

// Every route needs a signed-in staff user unless it is marked @Public().
@Injectable()
export class SessionAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly loadActor: LoadActorUseCase,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<RequestWithActor>();
    const principal = request.user as SessionPrincipal | undefined;
    if (!principal?.userId || !principal.organizationId) throw new SignInRequiredError();
    const actor = await this.loadActor.execute(principal);
    if (!actor) {
      await new Promise<void>((resolve) => request.logout(() => resolve()));
      throw new SignInRequiredError();
    }
    request.actor = actor;
    return true;
  }
}
