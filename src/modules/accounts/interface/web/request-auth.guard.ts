import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from '../../../../config/app-config';
import { Clock } from '../../../../shared/application/clock';
import { SESSION_ABSOLUTE_LIFETIME_MS } from '../../../../shared/interface/web/session-lifetime';
import {
  API_SCOPES,
  bearerCredential,
  PARTNER_API_SCOPE,
  type ApiCaller,
  type ApiScope,
  type RequestWithApiCaller,
} from '../../../../shared/interface/http/partner-api';
import { IS_PUBLIC, type Actor, type RequestWithActor, type SessionPrincipal } from '../../../../shared/interface/web/request-actor';
import { AuthenticateApiKeyUseCase } from '../../application/authenticate-api-key.use-case';
import { LoadActorUseCase } from '../../application/load-actor.use-case';
import { SignInRequiredError } from '../../domain/accounts.errors';
import { ApiRateLimitedError, ApiScopeForbiddenError, ApiUnauthenticatedError } from '../http/api-auth.errors';

type AuthenticatedRequest = RequestWithActor & RequestWithApiCaller;

// Who may make a request. Every route needs a signed-in staff user unless it is @Public(). A partner API route
// (@PartnerApi(scope)) also accepts an API key: a request with an Authorization header there is judged by that
// header alone, never by the session (the CSRF middleware lets Bearer requests without a session through, so
// the session must not be what authorizes them). On any other route an Authorization header is ignored.
@Injectable()
export class RequestAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly loadActor: LoadActorUseCase,
    private readonly authenticateApiKey: AuthenticateApiKeyUseCase,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const scope = this.reflector.getAllAndOverride<ApiScope | undefined>(PARTNER_API_SCOPE, targets);
    if (scope && request.get('authorization') !== undefined) {
      request.apiCaller = await this.byApiKey(request, scope);
      return true;
    }
    const actor = await this.bySession(request);
    if (!actor) throw scope ? new ApiUnauthenticatedError('missing') : new SignInRequiredError();
    request.actor = actor;
    // A signed-in staff user may do everything the partner API offers for their own organization.
    if (scope)
      request.apiCaller = {
        organizationId: actor.organizationId,
        scopes: API_SCOPES,
        via: 'session',
        apiKeyId: null,
        userId: actor.userId,
        name: actor.displayName,
      };
    return true;
  }

  private async byApiKey(request: AuthenticatedRequest, scope: ApiScope): Promise<ApiCaller> {
    const presented = bearerCredential(request);
    if (presented === undefined) throw new ApiUnauthenticatedError('invalid');
    const limit = this.config.apiRateLimitPerMinute;
    const result = await this.authenticateApiKey.execute(presented, limit);
    if (result.outcome === 'refused') throw new ApiUnauthenticatedError('invalid');
    if (result.outcome === 'rate-limited') throw new ApiRateLimitedError(limit, result.retryAfterSeconds);
    const { key } = result;
    if (!key.allows(scope)) throw new ApiScopeForbiddenError(scope);
    return {
      organizationId: key.organizationId,
      scopes: API_SCOPES.filter((s) => key.allows(s)),
      via: 'api-key',
      apiKeyId: key.id,
      userId: null,
      name: key.name,
    };
  }

  // null when no staff user is signed in; a session whose user or organization no longer exists, or that is
  // older than its absolute lifetime, is ended.
  private async bySession(request: AuthenticatedRequest): Promise<Actor | null> {
    const principal = request.user as SessionPrincipal | undefined;
    if (!principal?.userId || !principal.organizationId) return null;
    const now = this.clock.now().getTime();
    // A session from before sign-in times were kept starts its absolute lifetime now.
    request.session.signedInAt ??= now;
    const actor = now - request.session.signedInAt > SESSION_ABSOLUTE_LIFETIME_MS ? null : await this.loadActor.execute(principal);
    if (!actor) await new Promise<void>((resolve) => request.logout(() => resolve()));
    return actor;
  }
}
