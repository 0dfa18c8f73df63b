import express, { type Request, type Response, type Router } from 'express';
import { graphConsent, provisionApp, removeApp } from '../scenario/application-consents';
import {
  buildCustomer,
  buildGdapRelationship,
  capabilityStatusOf,
  isoTicks,
  subscribedSkuFor,
  type LicenceSpec,
} from '../scenario/customer-builder';
import { DAY_MS, dayAnchor, guidFromName } from '../scenario/deterministic';
import type { ConditionalAccessRefusal, GdapStatus, SubscriptionStatus } from '../scenario/scenario';
import { ROLE_IDS, SKU_CATALOG, type SkuKey } from '../scenario/sku-catalog';
import type { EmulatorState } from '../state/emulator-state';
import { changeAutoRenew, changeQuantity, changeStatus } from '../state/subscription-changes';

const MAX_GENERATED_CUSTOMERS = 200_000;
const SUBSCRIPTION_STATUSES: SubscriptionStatus[] = ['active', 'pending', 'suspended', 'expired', 'deleted', 'disabled'];
const GDAP_STATUSES: GdapStatus[] = [
  'activating',
  'active',
  'approvalPending',
  'approved',
  'created',
  'expired',
  'expiring',
  'terminated',
  'terminating',
  'terminationRequested',
];
const CAPABILITY_STATUSES = ['Enabled', 'Warning', 'Suspended', 'LockedOut', 'Deleted'] as const;
const CONDITIONAL_ACCESS: ConditionalAccessRefusal[] = ['mfa', 'block', 'compliantDevice'];

// Loading worlds and changing them between two imports (what later issues' tests need).
export function registerScenarioControlRoutes(router: Router, state: EmulatorState): void {
  const json = express.json({ limit: '5mb' });

  router.get('/__emulator/scenario', (_req, res) => {
    res.json(state.scenarioSummary());
  });

  // {"scenario":"demo"} or {"generate":{"customers":N,"seed":S}}; then everything resets.
  router.post('/__emulator/scenario', json, (req, res) => {
    const body = (req.body ?? {}) as { scenario?: unknown; generate?: { customers?: unknown; seed?: unknown } };
    if (body.scenario === 'demo') {
      state.loadScenario({ kind: 'demo' });
    } else if (body.generate && typeof body.generate === 'object') {
      const { customers, seed } = body.generate;
      if (!isInteger(customers, 0, MAX_GENERATED_CUSTOMERS) || !isInteger(seed, 0, 2 ** 32 - 1)) {
        return badRequest(res, `"generate" needs integer "customers" (0-${MAX_GENERATED_CUSTOMERS}) and "seed" (0-4294967295).`);
      }
      state.loadScenario({ kind: 'generate', customers, seed });
    } else {
      return badRequest(res, 'Body must be {"scenario":"demo"} or {"generate":{"customers":N,"seed":S}}.');
    }
    res.json(state.scenarioSummary());
  });

  // A new customer tenant for a partner, with optional licences and GDAP relationship.
  router.post('/__emulator/customers', json, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const partner = state.world.tenant(String(body.partnerTenantId ?? ''));
    if (!partner || partner.kind !== 'partner') return badRequest(res, '"partnerTenantId" must name a partner tenant of the scenario.');
    if (typeof body.companyName !== 'string' || body.companyName.trim() === '') return badRequest(res, '"companyName" is required.');
    const domain = typeof body.domain === 'string' ? body.domain : `${body.companyName.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`;
    const id = typeof body.id === 'string' ? body.id.toLowerCase() : guidFromName(`control:customer:${domain}`);
    if (state.world.tenant(id) || state.world.tenantByDomain(domain))
      return conflict(res, `A tenant with id ${id} or domain ${domain} already exists.`);
    const licences = parseLicences(body.licences);
    if (typeof licences === 'string') return badRequest(res, licences);
    const reseller = typeof body.resellerTenantId === 'string' ? state.world.tenant(body.resellerTenantId) : undefined;
    if (body.resellerTenantId !== undefined && reseller?.partnerType !== 'indirectReseller')
      return badRequest(res, '"resellerTenantId" must name an indirect reseller.');
    let gdapSettings: { status: GdapStatus; roles: string[]; group: string } | undefined;
    if (body.gdap !== undefined && body.gdap !== false) {
      const gdap = (typeof body.gdap === 'object' && body.gdap !== null ? body.gdap : {}) as {
        status?: unknown;
        roleDefinitionIds?: unknown;
        securityGroupId?: unknown;
      };
      const roles = Array.isArray(gdap.roleDefinitionIds)
        ? gdap.roleDefinitionIds.map(String)
        : [ROLE_IDS.globalReader, ROLE_IDS.applicationAdministrator];
      const group =
        typeof gdap.securityGroupId === 'string'
          ? gdap.securityGroupId
          : state.world.scenario.securityGroups.find(
              (candidate) => candidate.tenantId === partner.id && /gdap/i.test(candidate.displayName),
            )?.id;
      if (!group) return badRequest(res, '"gdap.securityGroupId" is needed: the partner has no GDAP group.');
      const status = gdap.status === undefined ? 'active' : gdap.status;
      if (!GDAP_STATUSES.includes(status as GdapStatus))
        return badRequest(res, `"gdap.status" must be one of ${GDAP_STATUSES.join(', ')}.`);
      gdapSettings = { status: status as GdapStatus, roles, group };
    }
    const anchor = dayAnchor(state.now());
    const newId = (label: string) => guidFromName(`control:customer:${id}:${label}`);
    const customer = buildCustomer(
      {
        id,
        companyName: body.companyName,
        domain,
        address: {
          country: 'US',
          region: 'WA',
          city: 'Redmond',
          addressLine1: '1 Example Way',
          postalCode: '98052',
          phoneNumber: '4255550100',
        },
        contact: { firstName: 'Pat', lastName: 'Example' },
        createdDaysAgo: 0,
        seller: partner,
        reseller,
        licences,
      },
      anchor,
      newId,
    );
    // The emulator's registered apps are provisioned in the new customer unless "appProvisioned": false.
    if (body.appProvisioned !== false)
      for (const app of state.apps) provisionApp(customer, graphConsent(app.clientId, app.displayName, customer.createdDateTime));
    state.world.scenario.customers.push(customer);
    if (gdapSettings) {
      const { status, roles, group } = gdapSettings;
      state.world.scenario.gdapRelationships.push(
        buildGdapRelationship(
          {
            partner,
            customer,
            status,
            activatedDaysAgo: 0,
            roleDefinitionIds: roles,
            assignments: [{ securityGroupId: group, roleDefinitionIds: roles }],
          },
          anchor,
          newId,
        ),
      );
    }
    state.scenarioChanged({ structural: true });
    res.status(201).json({ id: customer.id, companyName: customer.companyName, domain: customer.defaultDomain });
  });

  router.delete('/__emulator/customers/:customerId', (req, res) => {
    if (!state.world.removeCustomer(String(req.params.customerId))) return notFound(res, `No customer ${String(req.params.customerId)}.`);
    state.scenarioChanged();
    res.json({ ok: true });
  });

  // Per-customer directory settings: {"appProvisioned": bool} adds or removes the consent of every registered app
  // (as Partner Center applicationconsents would); {"conditionalAccess": "mfa"|"block"|"compliantDevice"|null}
  // sets the customer's Conditional Access policy for service-provider users.
  router.get('/__emulator/customers/:customerId', (req, res) => {
    const customer = state.world.customer(String(req.params.customerId));
    if (!customer) return notFound(res, `No customer ${String(req.params.customerId)}.`);
    res.json({
      id: customer.id,
      companyName: customer.companyName,
      applicationConsents: customer.applicationConsents ?? [],
      conditionalAccess: customer.conditionalAccess ?? null,
    });
  });

  router.patch('/__emulator/customers/:customerId', json, (req: Request, res) => {
    const customer = state.world.customer(String(req.params.customerId));
    if (!customer) return notFound(res, `No customer ${String(req.params.customerId)}.`);
    const body = (req.body ?? {}) as { appProvisioned?: unknown; conditionalAccess?: unknown; customDomains?: unknown };
    if (
      body.customDomains !== undefined &&
      (!Array.isArray(body.customDomains) ||
        !body.customDomains.every((name) => typeof name === 'string' && /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(name)))
    ) {
      return badRequest(res, '"customDomains" must be a list of domain names.');
    }
    if (body.appProvisioned !== undefined && typeof body.appProvisioned !== 'boolean')
      return badRequest(res, '"appProvisioned" must be a boolean.');
    if (
      body.conditionalAccess !== undefined &&
      body.conditionalAccess !== null &&
      !CONDITIONAL_ACCESS.includes(body.conditionalAccess as ConditionalAccessRefusal)
    ) {
      return badRequest(res, `"conditionalAccess" must be one of ${CONDITIONAL_ACCESS.join(', ')}, or null.`);
    }
    if (body.appProvisioned === true) {
      for (const app of state.apps)
        if (!customer.applicationConsents?.some((consent) => consent.applicationId === app.clientId))
          provisionApp(customer, graphConsent(app.clientId, app.displayName, new Date(state.now()).toISOString()));
    }
    if (body.appProvisioned === false) for (const app of state.apps) removeApp(customer, app.clientId);
    if (body.customDomains !== undefined) customer.customDomains = (body.customDomains as string[]).map((name) => name.toLowerCase());
    if (body.conditionalAccess === null) delete customer.conditionalAccess;
    else if (body.conditionalAccess !== undefined) customer.conditionalAccess = body.conditionalAccess as ConditionalAccessRefusal;
    state.scenarioChanged();
    res.json({
      id: customer.id,
      applicationConsents: customer.applicationConsents ?? [],
      conditionalAccess: customer.conditionalAccess ?? null,
      customDomains: customer.customDomains ?? [],
    });
  });

  router.patch('/__emulator/customers/:customerId/subscribed-skus/:skuId', json, (req: Request, res) => {
    const customer = state.world.customer(String(req.params.customerId));
    if (!customer) return notFound(res, `No customer ${String(req.params.customerId)}.`);
    const skuId = String(req.params.skuId).toLowerCase();
    if (!state.world.sku(skuId)) return notFound(res, `No SKU ${skuId} in the catalogue.`);
    const body = (req.body ?? {}) as { consumedUnits?: unknown; prepaidUnits?: Record<string, unknown>; capabilityStatus?: unknown };
    if (body.consumedUnits !== undefined && !isInteger(body.consumedUnits, 0))
      return badRequest(res, '"consumedUnits" must be a non-negative integer.');
    const units = body.prepaidUnits ?? {};
    for (const [name, value] of Object.entries(units)) {
      if (!['enabled', 'warning', 'suspended', 'lockedOut'].includes(name) || !isInteger(value, 0)) {
        return badRequest(res, '"prepaidUnits" takes non-negative integers for enabled, warning, suspended and lockedOut.');
      }
    }
    if (body.capabilityStatus !== undefined && !CAPABILITY_STATUSES.includes(body.capabilityStatus as never)) {
      return badRequest(res, `"capabilityStatus" must be one of ${CAPABILITY_STATUSES.join(', ')}.`);
    }
    const subscribed = subscribedSkuFor(
      customer,
      customer.subscribedSkus.find((candidate) => candidate.skuId.toLowerCase() === skuId)?.skuId ?? state.world.sku(skuId)!.skuId,
    );
    Object.assign(subscribed.prepaidUnits, units);
    if (body.consumedUnits !== undefined) subscribed.consumedUnits = body.consumedUnits as number;
    subscribed.capabilityStatus =
      (body.capabilityStatus as typeof subscribed.capabilityStatus | undefined) ?? capabilityStatusOf(subscribed);
    state.scenarioChanged();
    res.json(subscribed);
  });

  router.patch('/__emulator/customers/:customerId/subscriptions/:subscriptionId', json, (req: Request, res) => {
    const customer = state.world.customer(String(req.params.customerId));
    const subscription = customer?.subscriptions.find(
      (candidate) => candidate.id.toLowerCase() === String(req.params.subscriptionId).toLowerCase(),
    );
    if (!customer || !subscription)
      return notFound(res, `No subscription ${String(req.params.subscriptionId)} for customer ${String(req.params.customerId)}.`);
    const body = (req.body ?? {}) as { quantity?: unknown; status?: unknown; autoRenewEnabled?: unknown; acceptsChangesLater?: unknown };
    if (body.acceptsChangesLater !== undefined && typeof body.acceptsChangesLater !== 'boolean')
      return badRequest(res, '"acceptsChangesLater" must be a boolean.');
    if (body.quantity !== undefined && !isInteger(body.quantity, 0)) return badRequest(res, '"quantity" must be a non-negative integer.');
    if (body.status !== undefined && !SUBSCRIPTION_STATUSES.includes(body.status as SubscriptionStatus)) {
      return badRequest(res, `"status" must be one of ${SUBSCRIPTION_STATUSES.join(', ')}.`);
    }
    if (body.autoRenewEnabled !== undefined && typeof body.autoRenewEnabled !== 'boolean')
      return badRequest(res, '"autoRenewEnabled" must be a boolean.');
    if (body.status !== undefined) changeStatus(customer, subscription, body.status as SubscriptionStatus);
    if (body.quantity !== undefined) changeQuantity(customer, subscription, body.quantity as number);
    if (body.autoRenewEnabled !== undefined) changeAutoRenew(subscription, body.autoRenewEnabled);
    // Partner Center answers this subscription's quantity changes with 202 Accepted (FACTS §7a.5).
    if (body.acceptsChangesLater !== undefined) subscription.acceptsChangesLater = body.acceptsChangesLater;
    state.scenarioChanged();
    res.json(subscription);
  });

  // The GDAP relationships with one customer (?customerTenantId=), to find the one a test changes.
  router.get('/__emulator/gdap-relationships', (req, res) => {
    const customerTenantId = String((req.query as Record<string, unknown>).customerTenantId ?? '').toLowerCase();
    const relationships = state.world.relationshipsOfCustomer(customerTenantId);
    res.json(
      relationships.map((relationship) => ({
        id: relationship.id,
        partnerTenantId: relationship.partnerTenantId,
        status: relationship.status,
        roleDefinitionIds: relationship.roleDefinitionIds,
      })),
    );
  });

  router.patch('/__emulator/gdap-relationships/:relationshipId', json, (req, res) => {
    const relationship = state.world.relationship(String(req.params.relationshipId));
    if (!relationship) return notFound(res, `No GDAP relationship ${String(req.params.relationshipId)}.`);
    const body = req.body as { status?: unknown; accessAssignmentRoles?: unknown } | undefined;
    // accessAssignmentRoles: the role template ids every access assignment of the relationship grants from now on
    // (what a partner changes in Partner Center's GDAP pages), with or without a status change.
    const roles = body?.accessAssignmentRoles;
    if (roles !== undefined) {
      if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string'))
        return badRequest(res, '"accessAssignmentRoles" must be an array of role template ids.');
      for (const assignment of relationship.accessAssignments) {
        assignment.roleDefinitionIds = [...(roles as string[])];
        assignment.lastModifiedDateTime = isoTicks(state.now());
      }
      relationship.roleDefinitionIds = [...new Set(roles as string[])];
      if (body?.status === undefined) {
        state.scenarioChanged();
        return res.json({ id: relationship.id, status: relationship.status, accessAssignmentRoles: roles });
      }
    }
    const status = body?.status;
    if (!GDAP_STATUSES.includes(status as GdapStatus)) return badRequest(res, `"status" must be one of ${GDAP_STATUSES.join(', ')}.`);
    const now = state.now();
    relationship.status = status as GdapStatus;
    relationship.lastModifiedDateTime = isoTicks(now);
    if ((status === 'expired' || status === 'terminated') && relationship.endDateTime && Date.parse(relationship.endDateTime) > now) {
      relationship.endDateTime = isoTicks(now);
    }
    if (status === 'active' && !relationship.activatedDateTime) {
      relationship.activatedDateTime = isoTicks(now);
      relationship.endDateTime = isoTicks(now + Number(/^P(\d+)D$/.exec(relationship.duration)?.[1] ?? 730) * DAY_MS);
    }
    state.scenarioChanged();
    res.json({ id: relationship.id, status: relationship.status });
  });
}

function parseLicences(value: unknown): LicenceSpec[] | string {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return '"licences" must be an array.';
  const licences: LicenceSpec[] = [];
  for (const entry of value as Record<string, unknown>[]) {
    if (typeof entry !== 'object' || entry === null || !(String(entry.sku) in SKU_CATALOG)) {
      return `Each licence needs "sku", one of ${Object.keys(SKU_CATALOG).join(', ')}.`;
    }
    if (!isInteger(entry.quantity, 1) || (entry.consumed !== undefined && !isInteger(entry.consumed, 0)))
      return 'Each licence needs an integer "quantity" ≥ 1 (and "consumed" ≥ 0).';
    const term = entry.term === 'P1M' ? 'P1M' : 'P1Y';
    licences.push({
      sku: entry.sku as SkuKey,
      quantity: entry.quantity as number,
      consumed: (entry.consumed as number | undefined) ?? 0,
      term,
      startDaysAgo: isInteger(entry.startDaysAgo, 0) ? entry.startDaysAgo : 0,
      boughtElsewhere: entry.boughtElsewhere === true,
      trial: entry.trial === true,
    });
  }
  return licences;
}

function isInteger(value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function badRequest(res: Response, error: string): void {
  res.status(400).json({ error });
}

function notFound(res: Response, error: string): void {
  res.status(404).json({ error });
}

function conflict(res: Response, error: string): void {
  res.status(409).json({ error });
}
