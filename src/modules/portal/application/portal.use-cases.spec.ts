import type { Actor } from '../../../shared/application/actor';
import type { MicrosoftIdentityClaims } from '../../../shared/application/microsoft-identity';
import { FixedClock, ImmediateTransaction } from '../../../shared/testing/fakes';
import { PORTAL_CHANGE_COMPLETED, PORTAL_CHANGE_DECIDED, PORTAL_CHANGE_REQUESTED, type PortalChangePayload } from '../events';
import type { PortalUser } from '../domain/portal-user';
import {
  FakeCustomerTenants,
  FakeDelegatedAdmins,
  FakeLicensing,
  FakeSelfServicePortals,
  FakeCustomerDomains,
  FakeSignedInDirectory,
  FakeSubscriptionChanges,
  InMemoryChangeRequests,
  InMemoryPortalUsers,
  RecordingAudit,
  RecordingEvents,
} from '../infrastructure/testing/in-memory-portal';
import { ChangeApplier } from './change-applier';
import { DecideChangeUseCase } from './decide-change.use-case';
import { LoadPortalViewerUseCase } from './load-portal-viewer.use-case';
import { ManagePortalUsersUseCase } from './manage-portal-users.use-case';
import { PortalTenants } from './portal-tenants';
import type { PortalViewer } from './portal-viewer';
import { RequestChangeUseCase } from './request-change.use-case';
import { statusLabelOf } from '../domain/change-request';
import { PENDING_LIMIT_MS, SettleChangesUseCase, STALE_APPLYING_MS } from './settle-changes.use-case';
import { SignInPortalUserUseCase } from './sign-in-portal-user.use-case';
import { TenantPictureReader } from './tenant-picture';

const ORG = 'org-contoso';
const OTHER_ORG = 'org-northwind';
const ADATUM = 'tenant-adatum';
const WOODGROVE = 'tenant-woodgrove';
const READ_AT = '2026-11-27T06:00:00.000Z';
const NOW = new Date('2026-11-27T10:00:00Z');
const staff: Actor = {
  userId: 'staff-1',
  organizationId: ORG,
  displayName: 'Contoso Admin',
  userPrincipalName: 'admin@contoso-partners.example',
  organizationName: 'Contoso Partners',
  role: 'billing',
};

function world() {
  const clock = new FixedClock(NOW);
  const transaction = new ImmediateTransaction();
  const users = new InMemoryPortalUsers();
  const requests = new InMemoryChangeRequests();
  const portals = new FakeSelfServicePortals();
  const customerTenants = new FakeCustomerTenants();
  const admins = new FakeDelegatedAdmins();
  const licensing = new FakeLicensing();
  const changes = new FakeSubscriptionChanges();
  const directory = new FakeSignedInDirectory();
  const customerDomains = new FakeCustomerDomains();
  const audit = new RecordingAudit();
  const events = new RecordingEvents();

  customerTenants.tenants.push(
    {
      organizationId: ORG,
      tenantId: ADATUM,
      companyName: 'Adatum Corporation',
      domain: 'adatum.example',
      delegatedAdminId: 'da-1',
      status: 'active',
    },
    {
      organizationId: ORG,
      tenantId: WOODGROVE,
      companyName: 'Woodgrove Bank',
      domain: 'woodgrovebank.example',
      delegatedAdminId: 'da-1',
      status: 'active',
    },
  );
  admins.admins.push({
    organizationId: ORG,
    id: 'da-1',
    accountUpn: 's365@contoso-partners.example',
    partnerDirectoryName: 'Contoso Partners',
    status: 'active',
    partnerType: 'direct',
    partnerTypeDetail: null,
    partnerTypeDetectedAt: null,
    directCsp: null,
  });
  portals.enabled.add(`${ORG}|${ADATUM}`);
  licensing.licences.push(
    {
      tenantId: ADATUM,
      skuId: 'sku-e3',
      skuPartNumber: 'SPE_E3',
      productName: 'Microsoft 365 E3',
      capabilityStatus: 'Enabled',
      purchased: 50,
      assigned: 47,
      available: 3,
      suspended: 0,
      warning: 0,
      readAt: READ_AT,
    },
    {
      tenantId: ADATUM,
      skuId: 'sku-pbi',
      skuPartNumber: 'POWER_BI_PRO',
      productName: 'Power BI Pro',
      capabilityStatus: 'Enabled',
      purchased: 10,
      assigned: 7,
      available: 3,
      suspended: 0,
      warning: 0,
      readAt: READ_AT,
    },
  );
  const subscription = {
    tenantId: ADATUM,
    friendlyName: null,
    billingCycle: 'annual',
    status: 'active',
    autoRenewEnabled: true,
    isTrial: false,
    readAt: READ_AT,
  };
  licensing.subscriptions.push(
    {
      ...subscription,
      id: 'sub-e3',
      offerName: 'Microsoft 365 E3',
      quantity: 50,
      termDuration: 'P1Y',
      commitmentEndDate: '2027-05-10T00:00:00.000Z',
      cancellationAllowedUntilDate: '2026-05-18T00:00:00.000Z',
      skuId: 'sku-e3',
      tenantUnits: 50,
    },
    // A monthly term renewed on 22 Nov: its seats can be reduced until 29 Nov (7 days, FACTS §7a.4).
    {
      ...subscription,
      id: 'sub-pbi',
      offerName: 'Power BI Pro',
      quantity: 10,
      termDuration: 'P1M',
      billingCycle: 'monthly',
      commitmentEndDate: '2026-12-21T00:00:00.000Z',
      cancellationAllowedUntilDate: '2026-11-29T00:00:00.000Z',
      skuId: 'sku-pbi',
      tenantUnits: 10,
    },
  );
  changes.quantities.set('sub-e3', 50).set('sub-pbi', 10);

  const tenants = new PortalTenants(customerTenants, admins);
  const pictures = new TenantPictureReader(licensing, requests);
  const applier = new ChangeApplier(tenants, portals, pictures, changes, requests, audit, events, transaction, clock);
  return {
    clock,
    users,
    requests,
    portals,
    changes,
    directory,
    licensing,
    audit,
    events,
    signIn: new SignInPortalUserUseCase(portals, tenants, users, directory, transaction, clock),
    loadViewer: new LoadPortalViewerUseCase(users, portals, tenants),
    customerDomains,
    manage: new ManagePortalUsersUseCase(users, tenants, customerDomains, audit, transaction, clock),
    request: new RequestChangeUseCase(pictures, requests, audit, events, transaction, clock),
    decide: new DecideChangeUseCase(requests, applier, audit, events, transaction, clock),
    settle: new SettleChangesUseCase(requests, applier, changes, tenants, transaction, clock),
  };
}

type World = ReturnType<typeof world>;

function identity(overrides: Partial<MicrosoftIdentityClaims> = {}): MicrosoftIdentityClaims {
  const upn = overrides.userPrincipalName ?? 'amelia.ortiz@adatum.example';
  return { tenantId: ADATUM, objectId: 'oid-amelia', userPrincipalName: upn, signInName: upn, displayName: 'Amelia Ortiz', ...overrides };
}

async function addUser(w: World, upn: string, role: 'view' | 'modify' | 'admin', tenantId = ADATUM): Promise<PortalUser> {
  return w.manage.add({ kind: 'partner', actor: staff }, tenantId, { userPrincipalName: upn, role });
}

async function viewerOf(w: World, upn: string, role: 'view' | 'modify' | 'admin'): Promise<PortalViewer> {
  await addUser(w, upn, role);
  const [membership] = await w.signIn.execute(
    identity({ userPrincipalName: upn, objectId: `oid-${upn}`, displayName: upn.split('@')[0] }),
    undefined,
  );
  return (await w.loadViewer.execute(membership))!;
}

const payloads = (w: World, name: string) => w.events.events.filter((e) => e.name === name).map((e) => e.payload as PortalChangePayload);

describe('licence portal sign-in', () => {
  it('refuses a tenant whose portal is off, saying who to ask', async () => {
    const w = world();
    await expect(
      w.signIn.execute(identity({ tenantId: WOODGROVE, userPrincipalName: 'rebecca.stone@woodgrovebank.example' }), 'token'),
    ).rejects.toMatchObject({
      code: 'PORTAL.NOT_AVAILABLE_FORBIDDEN',
      fix: expect.stringContaining('IT partner'),
    });
  });

  it("refuses a partner's own staff and sends them to the dashboard", async () => {
    const w = world();
    w.directory.partnerTokens.add('partner-token');
    await expect(
      w.signIn.execute(
        identity({ tenantId: 'tenant-contoso-partners', userPrincipalName: 'admin@contoso-partners.example' }),
        'partner-token',
      ),
    ).rejects.toMatchObject({
      code: 'PORTAL.PARTNER_STAFF_FORBIDDEN',
      message: expect.stringContaining('partner staff work in the Sync 365 dashboard'),
    });
  });

  it('refuses a person the partner has not added, naming the portal Admins and the partner', async () => {
    const w = world();
    await viewerOf(w, 'amelia.ortiz@adatum.example', 'admin');
    await expect(
      w.signIn.execute(identity({ objectId: 'oid-noah', userPrincipalName: 'noah.patel@adatum.example' }), undefined),
    ).rejects.toMatchObject({
      code: 'PORTAL.USER_NOT_ADDED_FORBIDDEN',
      message: 'noah.patel@adatum.example is not a user of the licence portal of Adatum Corporation.',
      fix: 'Ask amelia.ortiz (Admin of your licence portal) or Contoso Partners to add you as a portal user.',
    });
  });

  it('lets an added person in, binds their Microsoft object id, and keeps a recycled sign-in name out', async () => {
    const w = world();
    const amelia = await addUser(w, 'Amelia.Ortiz@adatum.example', 'modify');
    const memberships = await w.signIn.execute(identity(), undefined);
    expect(memberships).toEqual([
      { portalUserId: amelia.id, organizationId: ORG, companyName: 'Adatum Corporation', partnerName: 'Contoso Partners' },
    ]);
    expect(w.users.users.get(amelia.id)).toMatchObject({ objectId: 'oid-amelia', displayName: 'Amelia Ortiz', lastSignInAt: NOW });
    await expect(w.signIn.execute(identity({ objectId: 'oid-someone-else' }), undefined)).rejects.toMatchObject({
      code: 'PORTAL.USER_NOT_ADDED_FORBIDDEN',
    });
  });

  it('only ever looks at the signed-in directory: a user of one tenant is not let into another', async () => {
    const w = world();
    w.portals.enabled.add(`${ORG}|${WOODGROVE}`);
    await addUser(w, 'amelia.ortiz@adatum.example', 'modify');
    // The same sign-in name arriving from Woodgrove's directory is a different person.
    await expect(w.signIn.execute(identity({ tenantId: WOODGROVE }), undefined)).rejects.toMatchObject({
      code: 'PORTAL.USER_NOT_ADDED_FORBIDDEN',
    });
  });

  it('matches a first sign-in by the directory’s sign-in name only, never by the unverified email claim', async () => {
    const w = world();
    const amelia = await addUser(w, 'amelia.ortiz@adatum.example', 'modify');
    // A token without preferred_username and upn, whose email claim names Amelia: not her, whoever it is.
    const emailOnly = identity({ objectId: 'oid-mallory', signInName: undefined });
    await expect(w.signIn.execute(emailOnly, undefined)).rejects.toMatchObject({ code: 'PORTAL.USER_NOT_ADDED_FORBIDDEN' });
    w.directory.signInNames.set('mallory-token', 'mallory@adatum.example');
    await expect(w.signIn.execute(emailOnly, 'mallory-token')).rejects.toMatchObject({ code: 'PORTAL.USER_NOT_ADDED_FORBIDDEN' });
    w.directory.readFails = true;
    await expect(w.signIn.execute(emailOnly, 'mallory-token')).rejects.toMatchObject({ code: 'PORTAL.USER_NOT_ADDED_FORBIDDEN' });
    expect(w.users.users.get(amelia.id)).toMatchObject({ objectId: null, lastSignInAt: null });

    // Graph's userPrincipalName of the person (read with their own token) is their sign-in name.
    w.directory.readFails = false;
    w.directory.signInNames.set('amelia-token', 'Amelia.Ortiz@adatum.example');
    const [membership] = await w.signIn.execute(identity({ signInName: undefined }), 'amelia-token');
    expect(membership.portalUserId).toBe(amelia.id);
    // Once bound, the object id is enough.
    expect(await w.signIn.execute(identity({ signInName: undefined }), undefined)).toHaveLength(1);
  });

  it('keeps a role change made while the person signs in, and refuses a person removed meanwhile', async () => {
    const w = world();
    const amelia = await addUser(w, 'amelia.ortiz@adatum.example', 'view');
    const read = w.users.ofTenantInOrganizations.bind(w.users);
    let meanwhile: () => Promise<unknown> = () => w.manage.changeRole({ kind: 'partner', actor: staff }, ADATUM, amelia.id, 'admin');
    w.users.ofTenantInOrganizations = async (organizationIds, tenantId) => {
      const found = await read(organizationIds, tenantId);
      await meanwhile();
      return found;
    };

    await w.signIn.execute(identity(), undefined);
    expect(w.users.users.get(amelia.id)).toMatchObject({ role: 'admin', objectId: 'oid-amelia', lastSignInAt: NOW });

    meanwhile = () => w.manage.remove({ kind: 'partner', actor: staff }, ADATUM, amelia.id);
    await expect(w.signIn.execute(identity(), undefined)).rejects.toMatchObject({ code: 'PORTAL.USER_NOT_ADDED_FORBIDDEN' });
    expect(w.users.users.has(amelia.id)).toBe(false);
  });

  it('drops the viewer at once when the partner switches the portal off or removes them', async () => {
    const w = world();
    const viewer = await viewerOf(w, 'amelia.ortiz@adatum.example', 'modify');
    expect(viewer).toMatchObject({ tenantId: ADATUM, companyName: 'Adatum Corporation', partnerName: 'Contoso Partners', role: 'modify' });
    w.portals.enabled.delete(`${ORG}|${ADATUM}`);
    expect(await w.loadViewer.execute(viewer)).toBeNull();
    // Nor does signing in again open it.
    await expect(w.signIn.execute(identity({ objectId: 'oid-amelia.ortiz@adatum.example' }), undefined)).rejects.toMatchObject({
      code: 'PORTAL.NOT_AVAILABLE_FORBIDDEN',
    });
    w.portals.enabled.add(`${ORG}|${ADATUM}`);
    await w.manage.remove({ kind: 'partner', actor: staff }, ADATUM, viewer.portalUserId);
    expect(await w.loadViewer.execute(viewer)).toBeNull();
  });

  it("does not let one organization's staff reach another organization's tenant", async () => {
    const w = world();
    await expect(
      w.manage.add({ kind: 'partner', actor: { ...staff, organizationId: OTHER_ORG } }, ADATUM, {
        userPrincipalName: 'x@adatum.example',
        role: 'view',
      }),
    ).rejects.toMatchObject({ code: 'PORTAL.TENANT_NOT_FOUND' });
  });
});

describe('portal users', () => {
  it('are managed by a portal Admin for their own tenant, but never themselves', async () => {
    const w = world();
    const admin = await viewerOf(w, 'amelia.ortiz@adatum.example', 'admin');
    const noah = await w.manage.add({ kind: 'portal', viewer: admin }, ADATUM, {
      userPrincipalName: 'noah.patel@adatum.example',
      role: 'view',
    });
    expect(noah.addedBy).toEqual({ kind: 'portal', name: 'amelia.ortiz' });
    expect((await w.manage.changeRole({ kind: 'portal', viewer: admin }, ADATUM, noah.id, 'modify')).role).toBe('modify');
    await expect(w.manage.changeRole({ kind: 'portal', viewer: admin }, ADATUM, admin.portalUserId, 'view')).rejects.toMatchObject({
      code: 'PORTAL.SELF_CHANGE_FORBIDDEN',
    });
    await expect(
      w.manage.add({ kind: 'portal', viewer: admin }, WOODGROVE, { userPrincipalName: 'x@woodgrovebank.example', role: 'view' }),
    ).rejects.toMatchObject({ code: 'PORTAL.USER_NOT_FOUND' });
    expect(w.audit.entries.map((e) => [e.action, e.actorName])).toContainEqual([
      'portal.user-role-changed',
      'amelia.ortiz (Adatum Corporation, licence portal)',
    ]);
  });

  it('are refused to View and Modify users, and added only once per sign-in name', async () => {
    const w = world();
    const modify = await viewerOf(w, 'noah.patel@adatum.example', 'modify');
    await expect(
      w.manage.add({ kind: 'portal', viewer: modify }, ADATUM, { userPrincipalName: 'x@adatum.example', role: 'view' }),
    ).rejects.toMatchObject({ code: 'PORTAL.ROLE_FORBIDDEN' });
    await expect(addUser(w, 'NOAH.patel@adatum.example', 'view')).rejects.toMatchObject({ code: 'PORTAL.USER_CONFLICT' });
  });

  it("accept only sign-in names in the customer's own domain, from the partner and from a portal Admin alike", async () => {
    const w = world();
    await expect(addUser(w, 'someone@fabrikam.example', 'view')).rejects.toMatchObject({
      code: 'PORTAL.USER_OUTSIDE_CUSTOMER',
      field: 'userPrincipalName',
      message: expect.stringContaining(
        'someone@fabrikam.example is not an address of Adatum Corporation: only people whose sign-in name ends in @adatum.example',
      ),
    });
    // A look-alike is not the domain, nor is a subdomain (verified on its own in Entra ID).
    await expect(addUser(w, 'x@adatum.example.evil', 'view')).rejects.toMatchObject({ code: 'PORTAL.USER_OUTSIDE_CUSTOMER' });
    await expect(addUser(w, 'x@eu.adatum.example', 'view')).rejects.toMatchObject({ code: 'PORTAL.USER_OUTSIDE_CUSTOMER' });
    const admin = await viewerOf(w, 'amelia.ortiz@adatum.example', 'admin');
    await expect(
      w.manage.add({ kind: 'portal', viewer: admin }, ADATUM, { userPrincipalName: 'rebecca.stone@woodgrovebank.example', role: 'view' }),
    ).rejects.toMatchObject({ code: 'PORTAL.USER_OUTSIDE_CUSTOMER' });
    expect((await addUser(w, 'Megan.Bowen@ADATUM.example', 'view')).userPrincipalName).toBe('Megan.Bowen@ADATUM.example');
  });

  it("accept the customer's other verified domains, read from its directory only when Partner Center's domain is not the address's", async () => {
    const w = world();
    w.customerDomains.verifiedByTenant.set(ADATUM, ['adatum.example', 'adatum.com']);
    expect((await addUser(w, 'megan.bowen@adatum.example', 'view')).userPrincipalName).toBe('megan.bowen@adatum.example');
    expect(w.customerDomains.reads).toBe(0);
    expect((await addUser(w, 'alex.wilber@adatum.com', 'view')).userPrincipalName).toBe('alex.wilber@adatum.com');
    await expect(addUser(w, 'someone@fabrikam.example', 'view')).rejects.toMatchObject({
      code: 'PORTAL.USER_OUTSIDE_CUSTOMER',
      message: expect.stringContaining('adatum.com'),
    });
    // The directory cannot be read now: Partner Center's domain alone decides.
    w.customerDomains.unreadable.add(ADATUM);
    await expect(addUser(w, 'lee.gu@adatum.com', 'view')).rejects.toMatchObject({ code: 'PORTAL.USER_OUTSIDE_CUSTOMER' });
  });
});

describe('a licence change request and its decision', () => {
  it('is refused to a View user', async () => {
    const w = world();
    const viewer = await viewerOf(w, 'noah.patel@adatum.example', 'view');
    await expect(w.request.execute(viewer, { subscriptionId: 'sub-pbi', kind: 'increase', toQuantity: '12' })).rejects.toMatchObject({
      code: 'PORTAL.ROLE_FORBIDDEN',
    });
    expect(w.requests.requests.size).toBe(0);
  });

  it('enforces the rules on the server: not below the assigned seats, no annual decrease outside the window', async () => {
    const w = world();
    const viewer = await viewerOf(w, 'amelia.ortiz@adatum.example', 'modify');
    await expect(w.request.execute(viewer, { subscriptionId: 'sub-pbi', kind: 'decrease', toQuantity: '6' })).rejects.toMatchObject({
      code: 'PORTAL.CHANGE_NOT_ALLOWED',
      message: expect.stringContaining('cannot go below 7 seats'),
    });
    await expect(w.request.execute(viewer, { subscriptionId: 'sub-e3', kind: 'decrease', toQuantity: '48' })).rejects.toMatchObject({
      code: 'PORTAL.CHANGE_NOT_ALLOWED',
      fix: 'Choose to remove the seats at renewal instead: they are removed on 11 May 2027 UTC, when the subscription renews.',
    });
    await expect(w.request.execute(viewer, { subscriptionId: 'sub-unknown', kind: 'increase', toQuantity: '48' })).rejects.toMatchObject({
      code: 'PORTAL.SUBSCRIPTION_NOT_FOUND',
    });
    expect(w.requests.requests.size).toBe(0);
  });

  it('is recorded pending with an audit entry and the portal.change-requested event; a second one for the same subscription waits', async () => {
    const w = world();
    const viewer = await viewerOf(w, 'amelia.ortiz@adatum.example', 'modify');
    const request = await w.request.execute(viewer, { subscriptionId: 'sub-pbi', kind: 'increase', toQuantity: '12' });
    expect(request).toMatchObject({
      status: 'pending',
      fromQuantity: 10,
      toQuantity: 12,
      tenantName: 'Adatum Corporation',
      subscriptionName: 'Power BI Pro',
    });
    expect(payloads(w, PORTAL_CHANGE_REQUESTED)).toEqual([
      expect.objectContaining({
        requestId: request.id,
        kind: 'increase',
        status: 'pending',
        requestedBy: { name: 'amelia.ortiz', userPrincipalName: 'amelia.ortiz@adatum.example' },
      }),
    ]);
    expect(w.audit.entries.at(-1)).toMatchObject({
      action: 'portal.change-requested',
      actorUserId: null,
      subject: 'Adatum Corporation: Power BI Pro: 10 → 12 seats',
    });
    await expect(w.request.execute(viewer, { subscriptionId: 'sub-pbi', kind: 'increase', toQuantity: '15' })).rejects.toMatchObject({
      code: 'PORTAL.OPEN_REQUEST_CONFLICT',
    });
  });

  it('is applied through Partner Center when approved; both sides see the new quantity', async () => {
    const w = world();
    const viewer = await viewerOf(w, 'amelia.ortiz@adatum.example', 'modify');
    const request = await w.request.execute(viewer, { subscriptionId: 'sub-pbi', kind: 'increase', toQuantity: '12' });

    const decided = await w.decide.approve(staff, request.id, 'Go ahead');

    expect(w.changes.calls).toEqual([
      { organizationId: ORG, delegatedAdminId: 'da-1', customerTenantId: ADATUM, subscriptionId: 'sub-pbi', from: 10, to: 12 },
    ]);
    expect(decided).toMatchObject({
      status: 'applied',
      appliedQuantity: 12,
      decidedBy: { userId: 'staff-1', name: 'Contoso Admin' },
      decisionComment: 'Go ahead',
    });
    expect(payloads(w, PORTAL_CHANGE_DECIDED)).toEqual([
      expect.objectContaining({
        status: 'applied',
        appliedQuantity: 12,
        comment: 'Go ahead',
        result: 'Partner Center changed the subscription from 10 to 12 seats.',
      }),
    ]);
    expect(w.audit.entries.slice(-2).map((e) => [e.action, e.outcome])).toEqual([
      ['portal.change-approved', 'success'],
      ['portal.change-applied', 'success'],
    ]);
    // Until the next read, the portal shows the applied quantity, and the next request starts from it.
    const next = await w.request.execute(viewer, { subscriptionId: 'sub-pbi', kind: 'decrease', toQuantity: '11' });
    expect(next.fromQuantity).toBe(12);
  });

  it("fails with Partner Center's reason, nothing applied, and cannot be approved again", async () => {
    const w = world();
    const viewer = await viewerOf(w, 'amelia.ortiz@adatum.example', 'modify');
    const request = await w.request.execute(viewer, { subscriptionId: 'sub-pbi', kind: 'increase', toQuantity: '12' });
    w.changes.answers.push({
      outcome: 'failed',
      reason: 'Partner Center failed to answer the change (HTTP 500). Read again, the subscription is unchanged at 10 seats.',
    });

    const decided = await w.decide.approve(staff, request.id, null);

    expect(decided).toMatchObject({ status: 'failed', appliedQuantity: null, result: expect.stringContaining('unchanged at 10 seats') });
    expect(payloads(w, PORTAL_CHANGE_DECIDED)).toEqual([expect.objectContaining({ status: 'failed' })]);
    expect(w.audit.entries.at(-1)).toMatchObject({ action: 'portal.change-failed', outcome: 'failure' });
    await expect(w.decide.approve(staff, request.id, null)).rejects.toMatchObject({ code: 'PORTAL.REQUEST_DECIDED_CONFLICT' });
    expect(w.changes.calls).toHaveLength(1);
  });

  it('is rejected only with a comment, which the customer sees', async () => {
    const w = world();
    const viewer = await viewerOf(w, 'amelia.ortiz@adatum.example', 'modify');
    const request = await w.request.execute(viewer, { subscriptionId: 'sub-pbi', kind: 'increase', toQuantity: '12' });
    await expect(w.decide.reject(staff, request.id, '')).rejects.toMatchObject({ code: 'PORTAL.COMMENT_REQUIRED' });
    expect((await w.decide.reject(staff, request.id, 'Budget frozen')).status).toBe('rejected');
    expect(payloads(w, PORTAL_CHANGE_DECIDED)).toEqual([expect.objectContaining({ status: 'rejected', comment: 'Budget frozen' })]);
    expect(w.changes.calls).toHaveLength(0);
  });

  it('is not found by another organization', async () => {
    const w = world();
    const viewer = await viewerOf(w, 'amelia.ortiz@adatum.example', 'modify');
    const request = await w.request.execute(viewer, { subscriptionId: 'sub-pbi', kind: 'increase', toQuantity: '12' });
    await expect(w.decide.approve({ ...staff, organizationId: OTHER_ORG }, request.id, null)).rejects.toMatchObject({
      code: 'PORTAL.REQUEST_NOT_FOUND',
    });
  });

  it('stays applying when the outcome is open, and a later re-read settles it as applied or failed', async () => {
    const w = world();
    const viewer = await viewerOf(w, 'amelia.ortiz@adatum.example', 'modify');
    const first = await w.request.execute(viewer, { subscriptionId: 'sub-pbi', kind: 'increase', toQuantity: '12' });
    w.changes.answers.push({ outcome: 'unknown', reason: 'Partner Center did not answer the change.' });
    expect((await w.decide.approve(staff, first.id, null)).status).toBe('applying');
    expect(payloads(w, PORTAL_CHANGE_DECIDED)).toEqual([expect.objectContaining({ status: 'applying' })]);

    // Too recent to settle: an approval in progress is not interfered with.
    expect(await w.settle.execute()).toEqual({ applied: 0, settled: 0 });
    w.clock.current = new Date(NOW.getTime() + STALE_APPLYING_MS + 1000);
    // Partner Center did make it.
    w.changes.quantities.set('sub-pbi', 12);
    expect(await w.settle.execute()).toEqual({ applied: 0, settled: 1 });
    expect(w.requests.requests.get(first.id)).toMatchObject({
      status: 'applied',
      appliedQuantity: 12,
      result: 'Partner Center shows 12 seats: the change was made.',
    });
    expect(payloads(w, PORTAL_CHANGE_COMPLETED)).toEqual([expect.objectContaining({ requestId: first.id, status: 'applied' })]);
  });

  it('is settled as failed when the re-read shows the old quantity (the process stopped before Partner Center was called)', async () => {
    const w = world();
    const viewer = await viewerOf(w, 'amelia.ortiz@adatum.example', 'modify');
    const request = await w.request.execute(viewer, { subscriptionId: 'sub-pbi', kind: 'increase', toQuantity: '12' });
    w.changes.answers.push(new Error('process died'));
    expect((await w.decide.approve(staff, request.id, null)).status).toBe('applying');
    w.clock.current = new Date(NOW.getTime() + STALE_APPLYING_MS + 1000);
    w.changes.readFails = true;
    expect(await w.settle.execute()).toEqual({ applied: 0, settled: 0 });
    w.changes.readFails = false;
    expect(await w.settle.execute()).toEqual({ applied: 0, settled: 1 });
    expect(w.requests.requests.get(request.id)).toMatchObject({
      status: 'failed',
      result: 'Partner Center did not make the change: it still shows 10 seats.',
    });
  });

  it('writes an approved decrease at renewal into Partner Center as a scheduled change, and settles it when Partner Center renews', async () => {
    const w = world();
    const viewer = await viewerOf(w, 'amelia.ortiz@adatum.example', 'modify');
    const request = await w.request.execute(viewer, { subscriptionId: 'sub-e3', kind: 'decrease_at_renewal', toQuantity: '48' });
    expect(request.effectiveDate).toEqual(new Date('2027-05-11T00:00:00Z'));
    w.changes.renewsOn = '2027-05-11T00:00:00.000Z';

    const approved = await w.decide.approve(staff, request.id, null);
    expect(approved).toMatchObject({
      status: 'scheduled',
      result: expect.stringMatching(/^Scheduled in Partner Center: Partner Center will change the subscription from 50 to 48 seats/),
    });
    // Nothing changes now: the change is Partner Center's, for the renewal.
    expect(w.changes.calls).toHaveLength(0);
    expect(w.changes.scheduleCalls).toEqual([expect.objectContaining({ subscriptionId: 'sub-e3', from: 50, to: 48 })]);
    expect(w.changes.scheduled.get('sub-e3')).toBe(48);
    expect(payloads(w, PORTAL_CHANGE_DECIDED)).toEqual([
      expect.objectContaining({ status: 'scheduled', effectiveDate: '2027-05-11T00:00:00.000Z' }),
    ]);
    expect(w.audit.entries.at(-1)).toMatchObject({ action: 'portal.change-scheduled', outcome: 'success' });
    expect(await w.settle.execute()).toEqual({ applied: 0, settled: 0 });

    // The renewal day, before Partner Center renewed (it may take up to a day): still waiting, nothing sent.
    w.clock.current = new Date('2027-05-11T02:00:00Z');
    expect(await w.settle.execute()).toEqual({ applied: 1, settled: 0 });
    expect(w.requests.requests.get(request.id)).toMatchObject({ status: 'applying' });
    // Partner Center renewed with the scheduled quantity: the next run records it.
    w.changes.renew('sub-e3');
    w.clock.current = new Date(w.clock.current.getTime() + STALE_APPLYING_MS + 1000);
    expect(await w.settle.execute()).toEqual({ applied: 0, settled: 1 });
    expect(w.changes.calls).toHaveLength(0);
    expect(w.requests.requests.get(request.id)).toMatchObject({ status: 'applied', appliedQuantity: 48 });
    expect(payloads(w, PORTAL_CHANGE_COMPLETED)).toEqual([expect.objectContaining({ status: 'applied' })]);
    expect(w.audit.entries.at(-1)).toMatchObject({ action: 'portal.change-applied', actorUserId: null, actorName: 'Sync 365 (scheduled)' });
  });

  it('fails a decrease at renewal that Partner Center refuses to schedule, with its reason', async () => {
    const w = world();
    const viewer = await viewerOf(w, 'amelia.ortiz@adatum.example', 'modify');
    const request = await w.request.execute(viewer, { subscriptionId: 'sub-e3', kind: 'decrease_at_renewal', toQuantity: '48' });
    w.changes.scheduleAnswers.push({
      outcome: 'refused',
      reason:
        'The subscription does not renew automatically, so Partner Center cannot schedule a change for its renewal. Nothing was scheduled.',
    });
    expect(await w.decide.approve(staff, request.id, null)).toMatchObject({
      status: 'failed',
      result: expect.stringContaining('does not renew automatically'),
    });
    expect(payloads(w, PORTAL_CHANGE_COMPLETED)).toEqual([expect.objectContaining({ status: 'failed' })]);
  });

  it('calls off a scheduled decrease in Partner Center too when the partner rejects it', async () => {
    const w = world();
    const viewer = await viewerOf(w, 'amelia.ortiz@adatum.example', 'modify');
    const request = await w.request.execute(viewer, { subscriptionId: 'sub-e3', kind: 'decrease_at_renewal', toQuantity: '48' });
    await w.decide.approve(staff, request.id, null);
    expect(w.changes.scheduled.get('sub-e3')).toBe(48);
    expect(await w.decide.reject(staff, request.id, 'Keep the seats')).toMatchObject({
      status: 'rejected',
      result: 'The scheduled reduction was called off.',
    });
    expect(w.changes.scheduled.has('sub-e3')).toBe(false);
  });

  it('fails a decrease at renewal whose scheduled change disappeared from Partner Center (an immediate change deletes it)', async () => {
    const w = world();
    const viewer = await viewerOf(w, 'amelia.ortiz@adatum.example', 'modify');
    const request = await w.request.execute(viewer, { subscriptionId: 'sub-e3', kind: 'decrease_at_renewal', toQuantity: '48' });
    await w.decide.approve(staff, request.id, null);
    w.changes.scheduled.delete('sub-e3');
    w.changes.refundable.set('sub-e3', 0);
    w.clock.current = new Date('2027-05-11T02:00:00Z');
    expect(await w.settle.execute()).toEqual({ applied: 1, settled: 0 });
    expect(w.requests.requests.get(request.id)).toMatchObject({
      status: 'failed',
      result: expect.stringContaining('The change scheduled in Partner Center is no longer there'),
    });
    expect(w.changes.calls).toHaveLength(0);
  });

  it('removes the seats in the new term’s 7-day window when the scheduled change is gone but Partner Center still allows it', async () => {
    const w = world();
    const viewer = await viewerOf(w, 'amelia.ortiz@adatum.example', 'modify');
    const request = await w.request.execute(viewer, { subscriptionId: 'sub-e3', kind: 'decrease_at_renewal', toQuantity: '48' });
    await w.decide.approve(staff, request.id, null);
    // Renewed without the scheduled change (removed in Partner Center meanwhile); the new term's seats are refundable.
    w.changes.scheduled.delete('sub-e3');
    w.changes.refundable.set('sub-e3', 50);
    w.clock.current = new Date('2027-05-11T02:00:00Z');
    expect(await w.settle.execute()).toEqual({ applied: 1, settled: 0 });
    expect(w.changes.calls).toEqual([expect.objectContaining({ subscriptionId: 'sub-e3', from: 50, to: 48 })]);
    expect(w.requests.requests.get(request.id)).toMatchObject({ status: 'applied', appliedQuantity: 48 });
  });

  it('shows a change Partner Center accepted for later (202) as pending, never failed, until it reads back changed', async () => {
    const w = world();
    const viewer = await viewerOf(w, 'amelia.ortiz@adatum.example', 'modify');
    const request = await w.request.execute(viewer, { subscriptionId: 'sub-e3', kind: 'increase', toQuantity: '55' });
    w.changes.answers.push({
      outcome: 'pending',
      reason: 'Partner Center accepted the change from 50 to 55 seats and is still making it.',
    });

    const decided = await w.decide.approve(staff, request.id, null);
    expect(decided).toMatchObject({ status: 'applying', pendingSince: NOW, result: expect.stringContaining('still making it') });
    expect(statusLabelOf(decided)).toBe('Pending in Partner Center');
    expect(w.audit.entries.at(-1)).toMatchObject({ action: 'portal.change-pending', outcome: 'success' });

    // The next run (even within ten minutes) reads it again: Partner Center still shows 50, so it stays pending.
    w.clock.current = new Date(NOW.getTime() + 60_000);
    expect(await w.settle.execute()).toEqual({ applied: 0, settled: 0 });
    expect(w.requests.requests.get(request.id)).toMatchObject({ status: 'applying', pendingSince: NOW });
    // Partner Center made it: applied.
    w.changes.quantities.set('sub-e3', 55);
    expect(await w.settle.execute()).toEqual({ applied: 0, settled: 1 });
    expect(w.requests.requests.get(request.id)).toMatchObject({ status: 'applied', appliedQuantity: 55 });
  });

  it('fails a pending change Partner Center still has not made a day later', async () => {
    const w = world();
    const viewer = await viewerOf(w, 'amelia.ortiz@adatum.example', 'modify');
    const request = await w.request.execute(viewer, { subscriptionId: 'sub-e3', kind: 'increase', toQuantity: '55' });
    w.changes.answers.push({ outcome: 'pending', reason: 'Partner Center accepted the change.' });
    await w.decide.approve(staff, request.id, null);
    w.clock.current = new Date(NOW.getTime() + PENDING_LIMIT_MS + 60_000);
    expect(await w.settle.execute()).toEqual({ applied: 0, settled: 1 });
    expect(w.requests.requests.get(request.id)).toMatchObject({ status: 'failed', result: expect.stringContaining('a day later') });
  });

  it('is not carried out once the partner switched the portal off; a decrease already scheduled in Partner Center is recorded as Partner Center made it', async () => {
    const w = world();
    const viewer = await viewerOf(w, 'amelia.ortiz@adatum.example', 'modify');
    const pending = await w.request.execute(viewer, { subscriptionId: 'sub-pbi', kind: 'increase', toQuantity: '12' });
    const atRenewal = await w.request.execute(viewer, { subscriptionId: 'sub-e3', kind: 'decrease_at_renewal', toQuantity: '48' });
    expect((await w.decide.approve(staff, atRenewal.id, null)).status).toBe('scheduled');
    w.portals.enabled.delete(`${ORG}|${ADATUM}`);

    const reason = 'The licence portal was switched off for this tenant, so nothing was changed.';
    expect(await w.decide.approve(staff, pending.id, null)).toMatchObject({ status: 'failed', result: reason });
    expect(w.changes.calls).toHaveLength(0);
    // The change was Partner Center's since the approval (the partner may reject the request to call it off).
    w.changes.renew('sub-e3');
    w.clock.current = new Date('2027-05-11T02:00:00Z');
    expect(await w.settle.execute()).toEqual({ applied: 1, settled: 0 });
    expect(w.requests.requests.get(atRenewal.id)).toMatchObject({ status: 'applied', appliedQuantity: 48 });
    expect(w.changes.calls).toHaveLength(0);
  });

  it('does not schedule a decrease at renewal once the portal is off', async () => {
    const w = world();
    const viewer = await viewerOf(w, 'amelia.ortiz@adatum.example', 'modify');
    const atRenewal = await w.request.execute(viewer, { subscriptionId: 'sub-e3', kind: 'decrease_at_renewal', toQuantity: '48' });
    w.portals.enabled.delete(`${ORG}|${ADATUM}`);
    expect(await w.decide.approve(staff, atRenewal.id, null)).toMatchObject({
      status: 'failed',
      result: 'The licence portal was switched off for this tenant, so nothing was scheduled.',
    });
    expect(w.changes.scheduleCalls).toHaveLength(0);
  });

  it('fails an approved decrease whose window closed before the approval, without calling Partner Center', async () => {
    const w = world();
    // The E3 term's cancellation window is still open when the request is made, and closed at the approval.
    w.licensing.subscriptions[0].cancellationAllowedUntilDate = '2026-11-27T12:00:00.000Z';
    const viewer = await viewerOf(w, 'amelia.ortiz@adatum.example', 'modify');
    const request = await w.request.execute(viewer, { subscriptionId: 'sub-e3', kind: 'decrease', toQuantity: '48' });
    w.clock.current = new Date('2026-11-28T09:00:00Z');

    const decided = await w.decide.approve(staff, request.id, null);

    expect(decided).toMatchObject({
      status: 'failed',
      result: expect.stringMatching(
        /^No longer allowed, so nothing was changed: Seats can be removed only within 7 days of being bought, renewed or added; this term's window ended on 27 Nov 2026/,
      ),
    });
    expect(w.changes.calls).toHaveLength(0);
  });
});
