import { Controller, Get, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AppConfig } from '../../../../config/app-config';
import { PartnerApi } from '../../../../shared/interface/http/partner-api';
import { Public } from '../../../../shared/interface/web/request-actor';
import { FixedClock, ImmediateTransaction } from '../../../../shared/testing/fakes';
import { AuthenticateApiKeyUseCase } from '../../application/authenticate-api-key.use-case';
import { CreateApiKeyUseCase } from '../../application/create-api-key.use-case';
import { LoadActorUseCase } from '../../application/load-actor.use-case';
import { SignInRequiredError } from '../../domain/accounts.errors';
import { Organization } from '../../domain/organization';
import { StaffUser } from '../../domain/staff-user';
import { InMemoryOrganizationRepository, InMemoryStaffUserRepository } from '../../infrastructure/testing/in-memory-accounts';
import { InMemoryApiKeyRepository, RecordingAuditTrail } from '../../infrastructure/testing/in-memory-api-keys';
import { ApiRateLimitedError, ApiScopeForbiddenError, ApiUnauthenticatedError } from '../http/api-auth.errors';
import { RequestAuthGuard } from './request-auth.guard';

@Controller()
class Routes {
  @Get('api/v1/tenants')
  @PartnerApi('read:tenants')
  tenants() {}

  @Get('customers')
  page() {}

  @Public()
  @Get('health')
  health() {}
}

const now = new Date('2026-11-27T10:00:00Z');
const org = Organization.register({ id: 'org-a', entraTenantId: 'aaaaaaaa-0000-0000-0000-000000000001', name: 'Contoso Partners', now });
const user = StaffUser.join({
  id: 'user-a',
  organizationId: 'org-a',
  identity: {
    tenantId: org.entraTenantId,
    objectId: 'bbbbbbbb-0000-0000-0000-000000000001',
    userPrincipalName: 'alice@contoso.example',
    displayName: 'Alice',
  },
  role: 'owner',
  now,
});

interface FakeRequest {
  headers: Record<string, string>;
  user?: { userId: string; organizationId: string };
  session: { signedInAt?: number };
  actor?: unknown;
  apiCaller?: unknown;
  loggedOut?: boolean;
  get(name: string): string | undefined;
  logout(done: () => void): void;
}

function request(options: { authorization?: string; session?: boolean; signedInAt?: number } = {}): FakeRequest {
  const headers: Record<string, string> = options.authorization === undefined ? {} : { authorization: options.authorization };
  return {
    headers,
    user: options.session ? { userId: user.id, organizationId: org.id } : undefined,
    session: options.signedInAt === undefined ? {} : { signedInAt: options.signedInAt },
    get: (name) => headers[name.toLowerCase()],
    logout(done) {
      this.loggedOut = true;
      done();
    },
  };
}

function contextFor(route: 'tenants' | 'page' | 'health', req: FakeRequest): ExecutionContext {
  return {
    getHandler: () => Routes.prototype[route],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

async function setup(limit = 100) {
  const organizations = new InMemoryOrganizationRepository();
  const users = new InMemoryStaffUserRepository();
  organizations.add(org);
  users.add(user);
  const keys = new InMemoryApiKeyRepository();
  const clock = new FixedClock(now);
  const guard = new RequestAuthGuard(
    new Reflector(),
    new LoadActorUseCase(organizations, users),
    new AuthenticateApiKeyUseCase(keys, clock),
    { apiRateLimitPerMinute: limit } as AppConfig,
    clock,
  );
  const create = new CreateApiKeyUseCase(keys, new RecordingAuditTrail(), new ImmediateTransaction(), clock);
  const actor = {
    userId: user.id,
    organizationId: org.id,
    displayName: 'Alice',
    userPrincipalName: user.userPrincipalName,
    organizationName: org.name,
    role: 'admin' as const,
  };
  const readKey = (await create.execute({ actor, name: 'Reader', scopes: ['read:tenants'] })).clearKey;
  const syncKey = (await create.execute({ actor, name: 'Syncer', scopes: ['write:sync'] })).clearKey;
  return { guard, users, readKey, syncKey };
}

describe('the request guard', () => {
  it('lets a valid API key with the scope call a partner API route, as its organization', async () => {
    const { guard, readKey } = await setup();
    const req = request({ authorization: `Bearer ${readKey}` });
    expect(await guard.canActivate(contextFor('tenants', req))).toBe(true);
    expect(req.apiCaller).toEqual({
      organizationId: 'org-a',
      scopes: ['read:tenants'],
      via: 'api-key',
      apiKeyId: expect.any(String),
      userId: null,
      name: 'Reader',
    });
    expect(req.actor).toBeUndefined();
  });

  it('refuses a partner API route without any credential as API.UNAUTHENTICATED with a Bearer challenge', async () => {
    const { guard } = await setup();
    const error = await guard.canActivate(contextFor('tenants', request())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiUnauthenticatedError);
    expect((error as ApiUnauthenticatedError).headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="Sync 365"' });
  });

  it.each([['Bearer s365_nonsense'], ['Basic YWxpY2U6cGFzcw=='], ['Bearer']])('refuses the credential %s', async (authorization) => {
    const { guard } = await setup();
    await expect(guard.canActivate(contextFor('tenants', request({ authorization })))).rejects.toThrow(ApiUnauthenticatedError);
  });

  it('refuses a key without the route scope, naming the scope', async () => {
    const { guard, syncKey } = await setup();
    const error = await guard.canActivate(contextFor('tenants', request({ authorization: `Bearer ${syncKey}` }))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiScopeForbiddenError);
    expect((error as Error).message).toContain('read:tenants');
  });

  it('refuses requests over the limit with the seconds to wait', async () => {
    const { guard, readKey } = await setup(2);
    for (let i = 0; i < 2; i++) await guard.canActivate(contextFor('tenants', request({ authorization: `Bearer ${readKey}` })));
    const error = await guard.canActivate(contextFor('tenants', request({ authorization: `Bearer ${readKey}` }))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRateLimitedError);
    expect((error as ApiRateLimitedError).headers).toEqual({ 'Retry-After': '60' });
  });

  it('lets a signed-in staff user call a partner API route with every scope', async () => {
    const { guard } = await setup();
    const req = request({ session: true });
    expect(await guard.canActivate(contextFor('tenants', req))).toBe(true);
    expect(req.actor).toMatchObject({ userId: 'user-a', organizationId: 'org-a' });
    expect(req.apiCaller).toEqual({
      organizationId: 'org-a',
      scopes: ['read:tenants', 'read:licenses', 'read:reconciliation', 'write:sync', 'read:billing', 'write:billing'],
      via: 'session',
      apiKeyId: null,
      userId: 'user-a',
      name: 'Alice',
    });
  });

  it('judges a partner API request with an Authorization header by the key alone, even with a session', async () => {
    const { guard } = await setup();
    const req = request({ session: true, authorization: 'Bearer s365_0123456789abcdef_wrong' });
    await expect(guard.canActivate(contextFor('tenants', req))).rejects.toThrow(ApiUnauthenticatedError);
    expect(req.actor).toBeUndefined();
  });

  it('ignores a Bearer header on a dashboard route: the session decides', async () => {
    const { guard, readKey } = await setup();
    await expect(guard.canActivate(contextFor('page', request({ authorization: `Bearer ${readKey}` })))).rejects.toThrow(
      SignInRequiredError,
    );
    const signedIn = request({ session: true, authorization: `Bearer ${readKey}` });
    expect(await guard.canActivate(contextFor('page', signedIn))).toBe(true);
    expect(signedIn.actor).toMatchObject({ userId: 'user-a' });
    expect(signedIn.apiCaller).toBeUndefined();
  });

  it('ends a session 24 hours after its sign-in, however active it was', async () => {
    const { guard } = await setup();
    const hour = 60 * 60 * 1000;
    const recent = request({ session: true, signedInAt: now.getTime() - 23 * hour });
    expect(await guard.canActivate(contextFor('page', recent))).toBe(true);
    expect(recent.loggedOut).toBeUndefined();
    const old = request({ session: true, signedInAt: now.getTime() - 25 * hour });
    await expect(guard.canActivate(contextFor('page', old))).rejects.toThrow(SignInRequiredError);
    expect(old.loggedOut).toBe(true);
    // A session from before sign-in times were kept starts counting now.
    const legacy = request({ session: true });
    expect(await guard.canActivate(contextFor('page', legacy))).toBe(true);
    expect(legacy.session.signedInAt).toBe(now.getTime());
  });

  it('ends the session of a user who no longer exists', async () => {
    const { guard, users } = await setup();
    users.rows.clear();
    const req = request({ session: true });
    await expect(guard.canActivate(contextFor('page', req))).rejects.toThrow(SignInRequiredError);
    expect(req.loggedOut).toBe(true);
  });

  it('lets anyone reach a public route', async () => {
    const { guard } = await setup();
    expect(await guard.canActivate(contextFor('health', request()))).toBe(true);
  });
});
