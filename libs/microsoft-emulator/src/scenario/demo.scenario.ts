import { graphConsent, provisionApp } from './application-consents';
import { buildCustomer, buildGdapRelationship, type NewId } from './customer-builder';
import { DEMO_CUSTOMER_ROWS, OTHER_PARTNER_TENANT_ID, type DemoCustomerRow, type DemoPartnerKey } from './demo-customers';
import { DAY_MS, dayAnchor, guidFromName, isoAt } from './deterministic';
import type {
  AppRegistration,
  ConditionalAccessRefusal,
  Customer,
  GdapRelationship,
  IndirectRelationship,
  Invoice,
  Scenario,
  SecurityGroup,
  Tenant,
  User,
} from './scenario';
import { ROLE_IDS, skuCatalog } from './sku-catalog';

export const DEMO_PASSWORD = 'Demo-Password-1';
// Every MFA user of the emulator accepts this one-time code.
export const DEMO_MFA_CODE = '123456';

const demoId = (name: string) => guidFromName(`sync365-demo:${name}`);

// Fixed ids so tokens, database rows and screenshots stay comparable from run to run.
export const DEMO_IDS = {
  contosoTenant: '8ca35be1-c5b5-4bde-9cda-dbed6d7d1ea7',
  contosoAdmin: 'd19e619a-5822-415d-a7c1-758933063733',
  contosoServiceAccount: '93ec71b2-5046-4a2f-8caa-cdc9961dce0a',
  contosoNoMfa: 'bf665434-30d1-461c-8b60-9c8565b933ab',
  contosoSales: 'd89cfbb1-0a3e-4fda-a555-32c0e64d130e',
  fabrikamTenant: '2b0f0373-978f-487f-9fde-1ca9c3a1b100',
  fabrikamAdmin: 'c24100a6-4df4-4c4b-9555-9fd026d9b31f',
  fabrikamServiceAccount: '0b72490a-498b-41db-9fe9-48df709c1b51',
  sync365App: '05140dd9-f1b6-4b32-ad59-2aa03e38dac4',
  tailspinTenant: demoId('tenant:tailspin'),
  tailspinAdmin: demoId('user:tailspin-admin'),
  tailspinServiceAccount: demoId('user:tailspin-s365'),
  northwindTenant: demoId('tenant:northwind'),
  northwindAdmin: demoId('user:northwind-admin'),
  northwindServiceAccount: demoId('user:northwind-s365'),
  // People of customer tenants (Contoso's customers), for the end-user licence portal.
  adatumAmelia: demoId('user:adatum-amelia'),
  adatumNoah: demoId('user:adatum-noah'),
  woodgroveRebecca: demoId('user:woodgrove-rebecca'),
  // Partner security groups. "AdminAgents"/"SalesAgents" are the groups behind Partner Center roles;
  // the GDAP groups are what access assignments grant roles to.
  contosoAdminAgentsGroup: demoId('group:contoso-adminagents'),
  contosoSalesAgentsGroup: demoId('group:contoso-salesagents'),
  contosoGdapGroup: demoId('group:contoso-gdap'),
  contosoHelpdeskGroup: demoId('group:contoso-helpdesk'),
  fabrikamAdminAgentsGroup: demoId('group:fabrikam-adminagents'),
  fabrikamGdapGroup: demoId('group:fabrikam-gdap'),
  tailspinAdminAgentsGroup: demoId('group:tailspin-adminagents'),
  tailspinGdapGroup: demoId('group:tailspin-gdap'),
  northwindAdminAgentsGroup: demoId('group:northwind-adminagents'),
  northwindGdapGroup: demoId('group:northwind-gdap'),
} as const;

// Demo only: this "secret" is public, it only opens the local emulator.
export const DEMO_CLIENT_SECRET = 'Demo8Q~sync365-local-emulator-secret-not-a-real-secret';

export const DEMO_DOMAINS = {
  contoso: 'contoso-partners.example',
  fabrikam: 'fabrikam-reseller.example',
  tailspin: 'tailspin-distribution.example',
  northwind: 'northwind-partners.example',
} as const;

export const DEMO_MPN_IDS = {
  contoso: '4790112',
  fabrikam: '5162381',
  tailspin: '6011547',
  northwind: '4300918',
} as const;

// Users of customer directories (not partner staff): they sign in to the app's end-user licence portal once
// their partner adds them. Amelia and Rebecca are the contacts named in demo-customers.ts.
export const DEMO_CUSTOMER_USERS = {
  amelia: 'amelia.ortiz@adatum.example',
  noah: 'noah.patel@adatum.example',
  rebecca: 'rebecca.stone@woodgrovebank.example',
} as const;

export interface DemoCustomer {
  key: string;
  id: string;
  companyName: string;
  domain: string;
  partnerTenantId: string;
}

const PARTNER_TENANT_IDS: Record<DemoPartnerKey, string> = {
  contoso: DEMO_IDS.contosoTenant,
  tailspin: DEMO_IDS.tailspinTenant,
  northwind: DEMO_IDS.northwindTenant,
};

// Every demo customer by key (adatum, coho, trey...), with its tenant id.
export const DEMO_CUSTOMERS: Readonly<Record<string, DemoCustomer>> = Object.fromEntries(
  DEMO_CUSTOMER_ROWS.map((row) => [
    row.key,
    {
      key: row.key,
      id: demoId(`customer:${row.key}`),
      companyName: row.companyName,
      domain: row.domain,
      partnerTenantId: PARTNER_TENANT_IDS[row.partner],
    },
  ]),
);

// What the demo world holds, stated as numbers so tests can assert exact counts (test/emulator checks
// that the emulator serves exactly this).
export const DEMO_QUIRKS = {
  contoso: {
    partnerType: 'direct',
    customers: 25,
    partnerCenterSubscriptions: 49,
    subscribedSkus: 49, // over all 25 tenants, Graph and Partner Center alike
    invoices: 3,
    overAssigned: { customer: 'coho', skuPartNumber: 'SPB', prepaidEnabled: 12, consumed: 15 }, // the only one
    suspended: { customer: 'citypower', skuPartNumber: 'SPE_E3', suspendedUnits: 25, enabledUnits: 5 },
    warning: { customer: 'lucerne', skuPartNumber: 'O365_BUSINESS_PREMIUM', warningUnits: 5, enabledUnits: 10 }, // an expired subscription
    trial: { customer: 'relecloud', skuPartNumber: 'Microsoft_365_Copilot' },
    boughtElsewhere: { customer: 'margies', skuPartNumber: 'VISIOCLIENT' }, // subscribed SKU without a Partner Center subscription
    insideCancellationWindow: { customer: 'bestforyou', skuPartNumber: 'O365_BUSINESS_PREMIUM' }, // annual, bought 2 days ago
    decreaseOnlyAtRenewal: { customer: 'adatum', skuPartNumber: 'SPE_E3' }, // annual, term started 200 days ago: refundableQuantity 0
    changesAcceptedLater: { customer: 'adatum', skuPartNumber: 'SPE_E3' }, // quantity PATCHes answer 202 + Location
    gdap: {
      relationships: 25, // 24 customers have one; adatum also has an old terminated one; wideworld has none
      active: 23,
      withoutApplicationAdministrator: ['fourthcoffee', 'proseware'],
      expired: ['trey'],
      absent: ['wideworld'],
      terminatedHistory: ['adatum'],
      // Active, but no role that may read licences (Application Administrator only).
      withoutLicenceReadingRole: ['southridge'],
    },
    // Customers where the Sync 365 app is not provisioned yet (AADSTS65001 for their tokens): the import provisions
    // it through Partner Center applicationconsents where the service account's group holds Application
    // Administrator (munson), and cannot where it does not (proseware).
    appNotProvisioned: ['munson', 'proseware'],
    appProvisionedByImport: ['munson'],
    appCannotBeProvisioned: ['proseware'],
    // A customer Conditional Access policy that blocks service-provider users (AADSTS53003).
    conditionalAccessBlocked: ['vanarsdel'],
    // Partner Center refuses their licences (subscribedskus needs a GDAP role): no GDAP, expired GDAP, no such role.
    licencesUnreadable: ['southridge', 'trey', 'wideworld'],
    subscribedSkusReadable: 45, // subscribedSkus less the 4 of those three tenants
    // Visio sold by another partner (ownerTenantId), LockedOut in the directory with 2 locked-out units.
    lockedOut: { customer: 'firstup', skuPartNumber: 'VISIOCLIENT', lockedOutUnits: 2, ownerTenantId: OTHER_PARTNER_TENANT_ID },
    // A SKU Sync 365's hand-written list does not know; Partner Center's catalogue names it.
    catalogueOnlySku: { customer: 'humongous', skuPartNumber: 'IDENTITY_THREAT_PROTECTION', title: 'Microsoft 365 E5 Security' },
  },
  tailspin: { partnerType: 'indirectProvider', customers: 3, resellers: ['fabrikam'], invoices: 2 },
  fabrikam: { partnerType: 'indirectReseller', providers: ['tailspin'], resellerRelationships: 3, approvalPending: ['liberty'] },
  northwind: { partnerType: 'direct', customers: 2, invoices: 1, requiresAdminConsent: true },
} as const;

// Every other demo customer has the Sync 365 app provisioned already.
const APP_NOT_PROVISIONED: readonly string[] = DEMO_QUIRKS.contoso.appNotProvisioned;
const CONDITIONAL_ACCESS: Readonly<Record<string, ConditionalAccessRefusal>> = { vanarsdel: 'block' };

export interface DemoScenarioOptions {
  now?: number; // ms; dates are relative to this day (default: today)
}

export function demoScenario(options: DemoScenarioOptions = {}): Scenario {
  const anchor = dayAnchor(options.now ?? Date.now());
  const directory = demoDirectory();
  const partners = partnerTenants(directory.tenants);
  const customers: Customer[] = [];
  const gdapRelationships: GdapRelationship[] = [];

  for (const row of DEMO_CUSTOMER_ROWS) {
    const seller = partners[row.partner];
    const customer = buildCustomer(
      {
        id: DEMO_CUSTOMERS[row.key].id,
        companyName: row.companyName,
        domain: row.domain,
        address: row.address,
        contact: row.contact,
        createdDaysAgo: 900 + row.gdapActivatedDaysAgo,
        seller,
        reseller: row.partner === 'tailspin' ? partners.fabrikam : undefined,
        licences: row.licences,
      },
      anchor,
      (label) => demoId(`customer:${row.key}:${label}`),
    );
    if (!APP_NOT_PROVISIONED.includes(row.key))
      provisionApp(customer, graphConsent(DEMO_IDS.sync365App, 'Sync 365', customer.createdDateTime));
    if (CONDITIONAL_ACCESS[row.key]) customer.conditionalAccess = CONDITIONAL_ACCESS[row.key];
    customers.push(customer);
    gdapRelationships.push(...demoGdap(row, customer, partners, anchor, (label) => demoId(`gdap:${row.key}:${label}`)));
  }

  return {
    name: 'demo',
    ...directory,
    skus: skuCatalog(),
    customers,
    gdapRelationships,
    invoices: demoInvoices(anchor),
  };
}

// The partner directories, their users and security groups, shared by the demo and generated worlds.
export function demoDirectory(): Pick<Required<Scenario>, 'tenants' | 'users' | 'securityGroups' | 'indirectRelationships'> {
  const tenants: Tenant[] = [
    partner(DEMO_IDS.contosoTenant, 'Contoso Partners', DEMO_DOMAINS.contoso, 'direct', DEMO_MPN_IDS.contoso, [
      '1 Contoso Way',
      'Redmond',
      'WA',
      '98052',
      'US',
    ]),
    partner(DEMO_IDS.fabrikamTenant, 'Fabrikam Reseller', DEMO_DOMAINS.fabrikam, 'indirectReseller', DEMO_MPN_IDS.fabrikam, [
      '25 Reseller Row',
      'Austin',
      'TX',
      '78701',
      'US',
    ]),
    partner(DEMO_IDS.tailspinTenant, 'Tailspin Distribution', DEMO_DOMAINS.tailspin, 'indirectProvider', DEMO_MPN_IDS.tailspin, [
      '9 Distribution Park',
      'Reno',
      'NV',
      '89501',
      'US',
    ]),
    {
      ...partner(DEMO_IDS.northwindTenant, 'Northwind Partners', DEMO_DOMAINS.northwind, 'direct', DEMO_MPN_IDS.northwind, [
        '3 Harbour Street',
        'Manchester',
        'MAN',
        'M1 1AA',
        'GB',
      ]),
      // Entra "Do not allow user consent": users see "Need admin approval" (AADSTS90094).
      requiresAdminConsent: true,
    },
  ];
  const c = DEMO_DOMAINS.contoso;
  const f = DEMO_DOMAINS.fabrikam;
  const t = DEMO_DOMAINS.tailspin;
  const n = DEMO_DOMAINS.northwind;
  const users: User[] = [
    user(DEMO_IDS.contosoAdmin, DEMO_IDS.contosoTenant, `admin@${c}`, 'Contoso', 'Admin', true, ['GlobalAdministrator']),
    user(DEMO_IDS.contosoServiceAccount, DEMO_IDS.contosoTenant, `s365@${c}`, 'Sync 365', 'Service Account', true, ['AdminAgent']),
    user(DEMO_IDS.contosoNoMfa, DEMO_IDS.contosoTenant, `nomfa@${c}`, 'No MFA', 'Agent', false, ['AdminAgent']),
    user(DEMO_IDS.contosoSales, DEMO_IDS.contosoTenant, `sales@${c}`, 'Contoso', 'Sales', true, ['SalesAgent']),
    user(DEMO_IDS.fabrikamAdmin, DEMO_IDS.fabrikamTenant, `admin@${f}`, 'Fabrikam', 'Admin', true, ['GlobalAdministrator']),
    user(DEMO_IDS.fabrikamServiceAccount, DEMO_IDS.fabrikamTenant, `s365@${f}`, 'Sync 365', 'Service Account', true, ['AdminAgent']),
    user(DEMO_IDS.tailspinAdmin, DEMO_IDS.tailspinTenant, `admin@${t}`, 'Tailspin', 'Admin', true, ['GlobalAdministrator']),
    user(DEMO_IDS.tailspinServiceAccount, DEMO_IDS.tailspinTenant, `s365@${t}`, 'Sync 365', 'Service Account', true, ['AdminAgent']),
    user(DEMO_IDS.northwindAdmin, DEMO_IDS.northwindTenant, `admin@${n}`, 'Northwind', 'Admin', true, ['GlobalAdministrator']),
    user(DEMO_IDS.northwindServiceAccount, DEMO_IDS.northwindTenant, `s365@${n}`, 'Sync 365', 'Service Account', true, ['AdminAgent']),
    // Customer directories' own people (no partner roles). Shared with generated worlds like the rest of the
    // directory, where Adatum and Woodgrove are not customers: there these accounts reach no portal.
    user(DEMO_IDS.adatumAmelia, DEMO_CUSTOMERS.adatum.id, DEMO_CUSTOMER_USERS.amelia, 'Amelia', 'Ortiz', true, []),
    user(DEMO_IDS.adatumNoah, DEMO_CUSTOMERS.adatum.id, DEMO_CUSTOMER_USERS.noah, 'Noah', 'Patel', false, []),
    user(DEMO_IDS.woodgroveRebecca, DEMO_CUSTOMERS.woodgrove.id, DEMO_CUSTOMER_USERS.rebecca, 'Rebecca', 'Stone', true, []),
  ];
  const securityGroups: SecurityGroup[] = [
    group(DEMO_IDS.contosoAdminAgentsGroup, DEMO_IDS.contosoTenant, 'AdminAgents', 'Partner Center Admin Agents', [
      DEMO_IDS.contosoServiceAccount,
      DEMO_IDS.contosoNoMfa,
    ]),
    group(DEMO_IDS.contosoSalesAgentsGroup, DEMO_IDS.contosoTenant, 'SalesAgents', 'Partner Center Sales Agents', [DEMO_IDS.contosoSales]),
    group(
      DEMO_IDS.contosoGdapGroup,
      DEMO_IDS.contosoTenant,
      'Sync 365 GDAP Access',
      'Service accounts that read customer tenants through GDAP',
      [DEMO_IDS.contosoServiceAccount, DEMO_IDS.contosoNoMfa],
    ),
    group(DEMO_IDS.contosoHelpdeskGroup, DEMO_IDS.contosoTenant, 'Contoso Helpdesk', 'Helpdesk staff (GDAP: Helpdesk Administrator only)', [
      DEMO_IDS.contosoAdmin,
      DEMO_IDS.contosoSales,
    ]),
    group(DEMO_IDS.fabrikamAdminAgentsGroup, DEMO_IDS.fabrikamTenant, 'AdminAgents', 'Partner Center Admin Agents', [
      DEMO_IDS.fabrikamServiceAccount,
    ]),
    group(DEMO_IDS.fabrikamGdapGroup, DEMO_IDS.fabrikamTenant, 'Fabrikam GDAP Access', 'Reseller staff with GDAP access', [
      DEMO_IDS.fabrikamServiceAccount,
    ]),
    group(DEMO_IDS.tailspinAdminAgentsGroup, DEMO_IDS.tailspinTenant, 'AdminAgents', 'Partner Center Admin Agents', [
      DEMO_IDS.tailspinServiceAccount,
    ]),
    group(DEMO_IDS.tailspinGdapGroup, DEMO_IDS.tailspinTenant, 'Tailspin GDAP Access', 'Service accounts with GDAP access', [
      DEMO_IDS.tailspinServiceAccount,
    ]),
    group(DEMO_IDS.northwindAdminAgentsGroup, DEMO_IDS.northwindTenant, 'AdminAgents', 'Partner Center Admin Agents', [
      DEMO_IDS.northwindServiceAccount,
    ]),
    group(DEMO_IDS.northwindGdapGroup, DEMO_IDS.northwindTenant, 'Northwind GDAP Access', 'Service accounts with GDAP access', [
      DEMO_IDS.northwindServiceAccount,
    ]),
  ];
  const indirectRelationships: IndirectRelationship[] = [
    { providerTenantId: DEMO_IDS.tailspinTenant, resellerTenantId: DEMO_IDS.fabrikamTenant, location: 'US' },
  ];
  return { tenants, users, securityGroups, indirectRelationships };
}

export type DemoPartners = Record<DemoPartnerKey | 'fabrikam', Tenant>;

export function partnerTenants(tenants: Tenant[]): DemoPartners {
  const byId = (id: string) => tenants.find((tenant) => tenant.id === id)!;
  return {
    contoso: byId(DEMO_IDS.contosoTenant),
    fabrikam: byId(DEMO_IDS.fabrikamTenant),
    tailspin: byId(DEMO_IDS.tailspinTenant),
    northwind: byId(DEMO_IDS.northwindTenant),
  };
}

const GDAP_GROUPS: Record<DemoPartnerKey, string> = {
  contoso: DEMO_IDS.contosoGdapGroup,
  tailspin: DEMO_IDS.tailspinGdapGroup,
  northwind: DEMO_IDS.northwindGdapGroup,
};

function demoGdap(row: DemoCustomerRow, customer: Customer, partners: DemoPartners, anchor: number, newId: NewId): GdapRelationship[] {
  if (row.gdap === 'none') return [];
  const partnerTenant = partners[row.partner];
  const gdapGroup = GDAP_GROUPS[row.partner];
  const { globalReader, applicationAdministrator, helpdeskAdministrator } = ROLE_IDS;
  const serviceRoles: string[] =
    row.gdap === 'noAppAdmin'
      ? [globalReader]
      : row.gdap === 'noLicenceRole'
        ? [applicationAdministrator]
        : [globalReader, applicationAdministrator];
  const assignments: { securityGroupId: string; roleDefinitionIds: string[] }[] = [
    { securityGroupId: gdapGroup, roleDefinitionIds: serviceRoles },
  ];
  if (row.partner === 'contoso')
    assignments.push({ securityGroupId: DEMO_IDS.contosoHelpdeskGroup, roleDefinitionIds: [helpdeskAdministrator] });
  const relationships = [
    buildGdapRelationship(
      {
        partner: partnerTenant,
        customer,
        status: row.gdap === 'expired' ? 'expired' : 'active',
        activatedDaysAgo: row.gdapActivatedDaysAgo,
        roleDefinitionIds: [...new Set(assignments.flatMap((assignment) => assignment.roleDefinitionIds))],
        assignments,
      },
      anchor,
      (label) => newId(`main:${label}`),
    ),
  ];
  if (row.key === 'adatum') {
    // An older relationship that was terminated, beside the current one (like Microsoft's sample).
    relationships.push(
      buildGdapRelationship(
        {
          partner: partnerTenant,
          customer,
          status: 'terminated',
          activatedDaysAgo: 900,
          durationDays: 365,
          displayName: 'Contoso GDAP Adatum (2023)',
          roleDefinitionIds: [ROLE_IDS.exchangeAdministrator],
          assignments: [{ securityGroupId: gdapGroup, roleDefinitionIds: [ROLE_IDS.exchangeAdministrator] }],
        },
        anchor,
        (label) => newId(`old:${label}`),
      ),
    );
  }
  if (row.partner === 'tailspin') {
    // The reseller of record holds its own relationship, typed resellerDelegatedAdminRelationship.
    relationships.push(
      buildGdapRelationship(
        {
          partner: partners.fabrikam,
          customer,
          kind: 'resellerDelegatedAdminRelationship',
          indirectProviderTenantId: DEMO_IDS.tailspinTenant,
          status: row.key === 'liberty' ? 'approvalPending' : 'active',
          activatedDaysAgo: row.gdapActivatedDaysAgo - 20,
          roleDefinitionIds: [globalReader, helpdeskAdministrator],
          assignments: [{ securityGroupId: DEMO_IDS.fabrikamGdapGroup, roleDefinitionIds: [globalReader, helpdeskAdministrator] }],
        },
        anchor,
        (label) => newId(`reseller:${label}`),
      ),
    );
  }
  return relationships;
}

export function demoInvoices(anchor: number): Invoice[] {
  const invoice = (
    partnerTenantId: string,
    id: string,
    monthsAgo: number,
    totalCharges: number,
    paid: boolean,
    currencyCode: string,
    currencySymbol: string,
  ): Invoice => ({
    id,
    partnerTenantId,
    invoiceDate: isoAt(anchor - (monthsAgo * 30 + 3) * DAY_MS),
    totalCharges,
    paidAmount: paid ? totalCharges : 0,
    currencyCode,
    currencySymbol,
    invoiceType: 'Recurring',
    billingProvider: 'office',
  });
  return [
    invoice(DEMO_IDS.contosoTenant, 'G004517320', 0, 48210.55, false, 'USD', '$'),
    invoice(DEMO_IDS.contosoTenant, 'G004231118', 1, 47980.1, true, 'USD', '$'),
    invoice(DEMO_IDS.contosoTenant, 'G003960741', 2, 46125.0, true, 'USD', '$'),
    invoice(DEMO_IDS.tailspinTenant, 'E001873411', 0, 9120.4, false, 'EUR', '€'),
    invoice(DEMO_IDS.tailspinTenant, 'E001644390', 1, 8877.95, true, 'EUR', '€'),
    invoice(DEMO_IDS.northwindTenant, 'D000911253', 0, 512.3, false, 'GBP', '£'),
  ];
}

export function sync365DemoApp(appBaseUrl: string): AppRegistration {
  const base = appBaseUrl.replace(/\/+$/, '');
  return {
    clientId: DEMO_IDS.sync365App,
    clientSecret: DEMO_CLIENT_SECRET,
    displayName: 'Sync 365',
    // Dashboard sign-in, Partner Center consent, and the customers' licence portal sign-in. Its static API
    // permissions (what `.default` asks for) are `defaultScopes` in identity/scopes.ts, the README's list.
    redirectUris: [`${base}/auth/callback`, `${base}/consent/callback`, `${base}/portal/auth/callback`],
  };
}

function partner(
  id: string,
  displayName: string,
  defaultDomain: string,
  partnerType: Tenant['partnerType'],
  mpnId: string,
  place: string[],
): Tenant {
  const [addressLine1, city, region, postalCode, country] = place;
  return {
    id,
    displayName,
    defaultDomain,
    kind: 'partner',
    partnerType,
    mpnId,
    address: { country, region, city, addressLine1, postalCode, phoneNumber: '4255550199' },
    email: `partners@${defaultDomain}`,
  };
}

function group(id: string, tenantId: string, displayName: string, description: string, memberIds: string[]): SecurityGroup {
  return { id, tenantId, displayName, description, memberIds };
}

function user(
  id: string,
  tenantId: string,
  userPrincipalName: string,
  givenName: string,
  surname: string,
  mfa: boolean,
  roles: string[],
): User {
  return {
    id,
    tenantId,
    userPrincipalName,
    displayName: `${givenName} ${surname}`,
    givenName,
    surname,
    password: DEMO_PASSWORD,
    mfa,
    roles,
  };
}
