import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { EmulatorBrowser } from '../../libs/microsoft-emulator/src';
import { StaffRoleGuard, type RouteHandler } from '../../src/modules/accounts/interface/web/staff-role.guard';
import { roleSatisfies, STAFF_ROLES, type StaffRole } from '../../src/shared/domain/staff-role';
import { IS_PUBLIC } from '../../src/shared/interface/web/request-actor';
import { csrfTokenOf, inviteAndSignIn, signInToDashboard } from '../support/dashboard';
import { startTestApp, type TestApp } from '../support/test-app';

// The role × route matrix. Every route Nest serves is listed here with the least role that may use it, or
// 'public' for the routes that are not staff routes at all (sign-in, health, the customer portal with its own
// sign-in). Default of the role guard: reading needs Viewer, any change needs Admin; a route that needs something
// else declares it with @RequiresRole(...). A new route fails this test until it is added here: that is the
// moment to decide who may use it.
const EXPECTED: Record<string, StaffRole | 'public'> = {
  'GET /health': 'public',
  // Sign-in and the invitation link.
  'GET /auth/sign-in': 'public',
  'GET /auth/login': 'public',
  'GET /auth/callback': 'public',
  'GET /auth/invitations/:invitationId': 'public',
  'POST /auth/sign-out': 'viewer',
  'GET /api/me': 'viewer',
  // Settings → People: Owners only change.
  'GET /settings/people': 'viewer',
  'POST /settings/people/invitations': 'owner',
  'POST /settings/people/invitations/:invitationId/withdraw': 'owner',
  'POST /settings/people/:userId/role': 'owner',
  'GET /settings/people/:userId/remove': 'owner',
  'POST /settings/people/:userId/remove': 'owner',
  // Settings → API keys, Webhooks, Audit log.
  'GET /settings/api-keys': 'viewer',
  'POST /settings/api-keys': 'admin',
  'GET /settings/api-keys/:id/revoke': 'admin',
  'POST /settings/api-keys/:id/revoke': 'admin',
  'GET /settings/audit-log': 'viewer',
  'GET /settings/webhooks': 'viewer',
  'POST /settings/webhooks': 'admin',
  'GET /settings/webhooks/:endpointId': 'viewer',
  'GET /settings/webhooks/:endpointId/deliveries/:deliveryId': 'viewer',
  'POST /settings/webhooks/:endpointId/deliveries/:deliveryId/redeliver': 'admin',
  'POST /settings/webhooks/:endpointId/test': 'admin',
  'GET /settings/webhooks/:endpointId/rotate-secret': 'admin',
  'POST /settings/webhooks/:endpointId/rotate-secret': 'admin',
  'GET /settings/webhooks/:endpointId/remove': 'admin',
  'POST /settings/webhooks/:endpointId/remove': 'admin',
  // Connections (Partner Center consent) and Direct CSP.
  'GET /customers/delegated-admins': 'viewer',
  'POST /customers/delegated-admins/grant': 'admin',
  'POST /customers/delegated-admins/:id/regrant': 'admin',
  'GET /consent/callback': 'admin',
  'GET /customers/delegated-admins/:id/remove': 'admin',
  'POST /customers/delegated-admins/:id/remove': 'admin',
  'GET /tenants/:tenantId/direct-csp': 'viewer',
  'GET /customers/delegated-admins/:id/direct-csp': 'viewer',
  'GET /customers/delegated-admins/:id/direct-csp/test': 'admin',
  'POST /customers/delegated-admins/:id/direct-csp/test': 'admin',
  'POST /tenants/:tenantId/self-service-portal': 'admin',
  // Customers.
  'GET /': 'viewer',
  'GET /customers': 'viewer',
  'POST /customers/refresh': 'admin',
  'POST /tenants/:tenantId/retry': 'admin',
  'GET /customers/export.csv': 'viewer',
  'GET /licences/export.csv': 'viewer',
  'GET /tenants/:tenantId': 'viewer',
  // Licensing: Billing may change it.
  'GET /licensing': 'viewer',
  'POST /licensing/run': 'billing',
  'POST /licensing/schedule': 'billing',
  'GET /licensing/tenants/:tenantId': 'viewer',
  'GET /licensing/exclusions': 'viewer',
  'POST /licensing/exclusions': 'billing',
  'GET /licensing/exclusions/:id/remove': 'billing',
  'POST /licensing/exclusions/:id/remove': 'billing',
  'GET /licensing/runs/:runId/export.csv': 'viewer',
  'GET /licensing/runs/:runId/subscriptions.csv': 'viewer',
  'GET /licensing/month-ends/:month/export.csv': 'viewer',
  'GET /licensing/month-ends/:month/subscriptions.csv': 'viewer',
  // The customers' licence portal as the partner manages it: users are Admin's, approvals Billing's.
  'GET /tenants/:tenantId/portal': 'viewer',
  'POST /tenants/:tenantId/portal/users': 'admin',
  'POST /tenants/:tenantId/portal/users/:portalUserId/role': 'admin',
  'POST /tenants/:tenantId/portal/users/:portalUserId/remove': 'admin',
  'POST /portal-requests/:requestId/approve': 'billing',
  'POST /portal-requests/:requestId/reject': 'billing',
  'GET /portal-requests': 'viewer',
  'GET /portal-requests/summary': 'viewer',
  'GET /portal-requests/summary.txt': 'viewer',
  // The customer portal: customers' own people, signed in by the portal (not staff routes).
  'GET /portal/sign-in': 'public',
  'GET /portal/login': 'public',
  'GET /portal/auth/callback': 'public',
  'GET /portal/choose': 'public',
  'POST /portal/choose': 'public',
  'POST /portal/sign-out': 'public',
  'GET /portal': 'public',
  'GET /portal/requests': 'public',
  'GET /portal/subscriptions/:subscriptionId/change': 'public',
  'POST /portal/requests': 'public',
  'GET /portal/users': 'public',
  'POST /portal/users': 'public',
  'POST /portal/users/:portalUserId/role': 'public',
  'POST /portal/users/:portalUserId/remove': 'public',
  // The partner API with the dashboard session (API keys are judged by their scopes, not here).
  'GET /api/v1/delegated-admins': 'viewer',
  'GET /api/v1/delegated-admins/:delegatedAdminId': 'viewer',
  'GET /api/v1/tenants': 'viewer',
  'GET /api/v1/tenants/:tenantId': 'viewer',
  'GET /api/v1/import-runs': 'viewer',
  'GET /api/v1/import-runs/current': 'viewer',
  'GET /api/v1/import-runs/:importRunId': 'viewer',
  'POST /api/v1/import-runs': 'admin',
  'GET /api/v1/tenants/:tenantId/licences': 'viewer',
  'GET /api/v1/licences': 'viewer',
  'GET /api/v1/tenants/:tenantId/subscriptions': 'viewer',
  'GET /api/v1/subscriptions': 'viewer',
  'GET /api/v1/reconciliation-runs': 'viewer',
  'POST /api/v1/reconciliation-runs': 'billing',
  'GET /api/v1/reconciliation-runs/:runId': 'viewer',
  'GET /api/v1/changes': 'viewer',
  'GET /api/v1/discrepancies': 'viewer',
  'GET /api/v1/month-ends': 'viewer',
  'GET /api/v1/month-ends/:month/licences': 'viewer',
  // Billing: reading for everyone, every change (profiles, settings, mappings, approvals, snapshots) Billing's.
  'GET /billing': 'viewer',
  'GET /billing/tenants/:tenantId': 'viewer',
  'GET /billing/approvals': 'viewer',
  'POST /billing/approvals/:approvalId/:decision': 'billing',
  'GET /billing/mappings': 'viewer',
  'POST /billing/mappings/:tenantId': 'billing',
  'GET /billing/snapshots': 'viewer',
  'POST /billing/snapshots': 'billing',
  'GET /billing/snapshots/:file': 'viewer',
  'GET /settings/billing': 'viewer',
  'POST /settings/billing': 'billing',
  'POST /settings/billing/profiles': 'billing',
  'GET /settings/billing/profiles/:profileId': 'billing',
  'POST /settings/billing/profiles/:profileId': 'billing',
  'POST /settings/billing/profiles/:profileId/remove': 'billing',
  'GET /api/v1/billing/settings': 'viewer',
  'PUT /api/v1/billing/settings': 'billing',
  'GET /api/v1/billing/profiles': 'viewer',
  'POST /api/v1/billing/profiles': 'billing',
  'PUT /api/v1/billing/profiles/:profileId': 'billing',
  'DELETE /api/v1/billing/profiles/:profileId': 'billing',
  'GET /api/v1/billing/mappings': 'viewer',
  'PUT /api/v1/billing/mappings/:tenantId': 'billing',
  'GET /api/v1/billing/preview': 'viewer',
  'GET /api/v1/billing/preview/:tenantId': 'viewer',
  'GET /api/v1/billing/approvals': 'viewer',
  'POST /api/v1/billing/approvals/:approvalId/approve': 'billing',
  'POST /api/v1/billing/approvals/:approvalId/reject': 'billing',
  'GET /api/v1/billing/snapshots': 'viewer',
  'POST /api/v1/billing/snapshots': 'billing',
  'GET /api/v1/billing/snapshots/:period': 'viewer',
  // PSA sync: connecting a PSA is Admin's (a connection, like Partner Center's); mapping, dry runs and syncs Billing's.
  'GET /settings/billing/psa': 'viewer',
  'POST /settings/billing/psa/connect': 'admin',
  'POST /settings/billing/psa/disconnect': 'admin',
  'POST /settings/billing/psa/tenants/:tenantId': 'billing',
  'POST /settings/billing/psa/products': 'billing',
  'POST /settings/billing/psa/confirm-suggested': 'billing',
  'POST /settings/billing/psa/dry-run': 'billing',
  'POST /settings/billing/psa/sync': 'billing',
  'GET /billing/psa-syncs': 'viewer',
  'GET /billing/psa-syncs/:runId': 'viewer',
  'GET /api/v1/billing/psa-syncs': 'viewer',
  'GET /api/v1/billing/psa-syncs/:runId': 'viewer',
  'POST /api/v1/billing/psa-syncs': 'billing',
  // Alerts: acknowledging, muting and rules are Admin's; everyone chooses their own alert e-mail; the signed
  // unsubscribe link from a mail works without signing in.
  'GET /alerts': 'viewer',
  'GET /alerts/rules': 'viewer',
  'POST /alerts/rules': 'admin',
  'GET /alerts/preferences': 'viewer',
  'POST /alerts/preferences': 'viewer',
  'GET /alerts/unsubscribe': 'public',
  'POST /alerts/unsubscribe': 'public',
  'POST /alerts/mutes/:muteId/lift': 'admin',
  'POST /alerts/:alertId/acknowledge': 'admin',
  'GET /alerts/:alertId/mute': 'admin',
  'POST /alerts/:alertId/mute': 'admin',
};

interface DiscoveredRoute {
  key: string;
  method: string;
  path: string;
  controller: Type<unknown>;
  handler: RouteHandler;
}

// Every route of every controller Nest discovered, as "METHOD /path" (paths as declared, with :params).
function discoverRoutes(t: TestApp): DiscoveredRoute[] {
  const routes: DiscoveredRoute[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown>;
      const bases = [(Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined) ?? ''].flat();
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (paths === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        for (const base of bases) {
          for (const path of [paths].flat()) {
            const full = `/${[base, path]
              .map((part) => part.replace(/^\/+|\/+$/g, ''))
              .filter(Boolean)
              .join('/')}`;
            routes.push({ key: `${method} ${full}`, method, path: full, controller, handler });
          }
        }
      }
    }
  }
  return routes;
}

// The role guard's verdict for a signed-in staff user with `role` (the session path; API keys are not judged by it).
function guardAllows(route: DiscoveredRoute, role: StaffRole): boolean {
  const request = {
    method: route.method,
    path: route.path,
    actor: { userId: 'u', organizationId: 'o', displayName: 'd', userPrincipalName: 'p', organizationName: 'n', role },
  };
  const context = new ExecutionContextHost([request, {}, () => undefined], route.controller as never, route.handler as never);
  context.setType('http');
  try {
    return new StaffRoleGuard(new Reflector()).canActivate(context);
  } catch (error) {
    if ((error as { code?: string }).code === 'ACCOUNTS.ROLE_FORBIDDEN') return false;
    throw error;
  }
}

const SAMPLE_PARAMS: Record<string, string> = { month: '2026-11' };
const SAMPLE_ID = '0d0d0d0d-0000-4000-8000-000000000001';
const concrete = (path: string) => path.replace(/:([A-Za-z]+)/g, (_, name: string) => SAMPLE_PARAMS[name] ?? SAMPLE_ID);

describe('staff roles: every route × every role (e2e)', () => {
  let t: TestApp;
  let routes: DiscoveredRoute[];
  const browsers = {} as Record<StaffRole, EmulatorBrowser>;
  const csrf = {} as Record<StaffRole, string>;

  beforeAll(async () => {
    t = await startTestApp();
    routes = discoverRoutes(t);
    // The first user of Contoso's directory is its Owner; the Owner invites three colleagues of the same directory.
    browsers.owner = await signInToDashboard(t, 'admin@contoso-partners.example');
    browsers.admin = await inviteAndSignIn(t, browsers.owner, 's365@contoso-partners.example', 'admin');
    browsers.billing = await inviteAndSignIn(t, browsers.owner, 'sales@contoso-partners.example', 'billing');
    browsers.viewer = await inviteAndSignIn(t, browsers.owner, 'nomfa@contoso-partners.example', 'viewer');
    for (const role of STAFF_ROLES) csrf[role] = await csrfTokenOf(t, browsers[role], '/settings/people');
  });
  afterAll(() => t.close());

  it('finds the routes through Nest (the walk covers what the app really serves)', () => {
    expect(routes.length).toBeGreaterThan(50);
    expect(routes.map((r) => r.key)).toEqual(expect.arrayContaining(['GET /settings/people', 'POST /licensing/run', 'GET /health']));
  });

  it('has an expectation for every route, and no expectation for a route that is gone', () => {
    const discovered = new Set(routes.map((r) => r.key));
    const missing = [...discovered].filter((key) => !(key in EXPECTED));
    const stale = Object.keys(EXPECTED).filter((key) => !discovered.has(key));
    const advice = missing.map((key) => {
      const route = routes.find((r) => r.key === key)!;
      if (new Reflector().getAllAndOverride<boolean>(IS_PUBLIC, [route.handler, route.controller]))
        return `  '${key}': 'public',   // it is @Public(): is that right?`;
      const now = STAFF_ROLES.filter((role) => guardAllows(route, role));
      return `  '${key}': '<role>',   // the role guard now lets ${now.join(', ') || 'nobody'} through`;
    });
    if (missing.length) {
      throw new Error(
        `These routes are not in the role × route table of test/e2e/roles.e2e-spec.ts (EXPECTED). Decide who may use each ` +
          `(viewer, billing, admin, owner, or 'public' for a non-staff route) and add it; if the default is wrong, declare ` +
          `@RequiresRole(...) on the handler:\n${advice.join('\n')}`,
      );
    }
    expect(stale).toEqual([]);
  });

  it('marks exactly the routes the table calls public as @Public() (sign-in, health, invitation link, customer portal)', () => {
    const reflector = new Reflector();
    for (const route of routes) {
      const isPublic = reflector.getAllAndOverride<boolean>(IS_PUBLIC, [route.handler, route.controller]) === true;
      expect({ route: route.key, public: isPublic }).toEqual({ route: route.key, public: EXPECTED[route.key] === 'public' });
    }
  });

  it('the role guard allows and denies every staff route for every role exactly as the table says', () => {
    const mismatches: string[] = [];
    for (const route of routes) {
      const expected = EXPECTED[route.key];
      if (expected === undefined || expected === 'public') continue;
      for (const role of STAFF_ROLES) {
        const allowed = guardAllows(route, role);
        if (allowed !== roleSatisfies(role, expected))
          mismatches.push(`${route.key} as ${role}: guard ${allowed ? 'allows' : 'denies'}, table says ${expected}+`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('over HTTP, every denied (route, role) is answered 403 with the plain reason, and every allowed read is not refused', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const expected = EXPECTED[route.key];
      if (expected === undefined || expected === 'public') continue;
      for (const role of STAFF_ROLES) {
        const allowed = roleSatisfies(role, expected);
        const reads = ['GET', 'HEAD'].includes(route.method);
        // Allowed changes are not sent: they would change things (sign out, start runs). The guard test above covers them.
        if (allowed && !reads) continue;
        const url = `${t.baseUrl}${concrete(route.path)}`;
        const cookie = Object.entries(browsers[role].cookies(url))
          .map(([name, value]) => `${name}=${value}`)
          .join('; ');
        const response = await fetch(url, {
          method: route.method,
          redirect: 'manual',
          headers: { cookie, 'x-csrf-token': csrf[role], ...(reads ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
          body: reads ? undefined : new URLSearchParams({ _csrf: csrf[role] }).toString(),
        });
        const text = await response.text();
        const refusedByRole =
          response.status === 403 && (text.includes('Your role in Sync 365 is') || text.includes('ACCOUNTS.ROLE_FORBIDDEN'));
        if (allowed && refusedByRole) wrong.push(`${route.key} as ${role}: refused, should be allowed`);
        if (!allowed && !refusedByRole) wrong.push(`${route.key} as ${role}: answered ${response.status}, should be 403 (role)`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets an API key through by its scopes whatever the role rules say (the guard leaves API-key requests alone)', () => {
    const route = routes.find((r) => r.key === 'POST /api/v1/import-runs')!;
    const request = { method: 'POST', path: route.path, apiCaller: { via: 'api-key', organizationId: 'o', scopes: ['write:sync'] } };
    const context = new ExecutionContextHost([request, {}, () => undefined], route.controller as never, route.handler as never);
    context.setType('http');
    expect(new StaffRoleGuard(new Reflector()).canActivate(context)).toBe(true);
  });
});
