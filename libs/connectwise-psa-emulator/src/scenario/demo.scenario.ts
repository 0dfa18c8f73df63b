import type { AdditionRecord, AgreementRecord, CatalogItemRecord, CompanyRecord, ConnectWiseScenario } from './scenario';

// The demo MSP's ConnectWise: Contoso Partners bills the 25 customers it sells Microsoft 365 to in the local
// Microsoft (libs/microsoft-emulator demo-customers.ts, same company names), one "Microsoft 365" agreement each with
// one addition per Microsoft product at the seat counts Partner Center holds, so a first sync finds (almost) nothing
// to change. DEMO_CONNECTWISE_QUIRKS lists what is deliberately different.

// Demo only: these keys are public and open nothing but the local emulator.
export const DEMO_CONNECTWISE_CREDENTIALS = {
  companyId: 'contoso',
  publicKey: 'Sync365DemoPublicKey',
  privateKey: 'Sync365DemoPrivateKey',
  clientId: '7c1f0b9e-3a52-4d8e-9b61-2f4a6c8d0e13',
} as const;

// An API member whose security role has no Finance → Agreements access: reading agreements is refused (403).
export const DEMO_CONNECTWISE_LIMITED_MEMBER = { publicKey: 'Sync365NoAgreementsKey', privateKey: 'Sync365NoAgreementsPrivate' } as const;

interface Product {
  identifier: string;
  description: string;
  price: number;
  cost: number;
}

// Catalog identifiers by the Microsoft emulator's SKU keys. Microsoft Teams Essentials is sold in Microsoft but has
// no catalog product (the "product not in the catalog" case).
export const DEMO_PRODUCTS = {
  businessBasic: { identifier: 'M365-BUS-BASIC', description: 'Microsoft 365 Business Basic', price: 7.2, cost: 6 },
  businessStandard: { identifier: 'M365-BUS-STD', description: 'Microsoft 365 Business Standard', price: 15, cost: 12.5 },
  businessPremium: { identifier: 'M365-BUS-PREM', description: 'Microsoft 365 Business Premium', price: 26.4, cost: 22 },
  e3: { identifier: 'M365-E3', description: 'Microsoft 365 E3', price: 43.2, cost: 36 },
  e5: { identifier: 'M365-E5', description: 'Microsoft 365 E5', price: 68.4, cost: 57 },
  exchangePlan1: { identifier: 'EXO-P1', description: 'Exchange Online (Plan 1)', price: 4.8, cost: 4 },
  copilot: { identifier: 'M365-COPILOT', description: 'Microsoft 365 Copilot', price: 36, cost: 30 },
  powerBiPro: { identifier: 'PBI-PRO', description: 'Power BI Pro', price: 16.8, cost: 14 },
  visioPlan2: { identifier: 'VISIO-P2', description: 'Visio Plan 2', price: 18, cost: 15 },
  e5Security: { identifier: 'M365-E5-SEC', description: 'Microsoft 365 E5 Security', price: 14.4, cost: 12 },
} as const satisfies Record<string, Product>;

type ProductKey = keyof typeof DEMO_PRODUCTS;

// Products of the catalog that are not Microsoft 365 licences.
const OTHER_PRODUCTS: (Product & { inactive?: boolean; productClass: string })[] = [
  { identifier: 'MSP-SUPPORT-USER', description: 'Managed support, per user', price: 45, cost: 0, productClass: 'Service' },
  {
    identifier: 'O365-E3-LEGACY',
    description: 'Office 365 E3 (legacy, no longer sold)',
    price: 23,
    cost: 20,
    inactive: true,
    productClass: 'Agreement',
  },
];

interface DemoCompanyRow {
  key: string; // the Microsoft emulator's customer key
  name: string;
  identifier: string;
  city: string;
  state: string;
  additions: [ProductKey, number][] | null; // null: no agreement
  prorate?: boolean; // default true
  extra?: 'support' | 'cancelledHistory';
}

const ROWS: DemoCompanyRow[] = [
  {
    key: 'adatum',
    name: 'Adatum Corporation',
    identifier: 'AdatumCorporation',
    city: 'Seattle',
    state: 'WA',
    additions: [
      ['e3', 50],
      ['powerBiPro', 10],
    ],
    extra: 'support',
  },
  {
    key: 'alpine',
    name: 'Alpine Ski House',
    identifier: 'AlpineSkiHouse',
    city: 'Denver',
    state: 'CO',
    additions: [
      ['businessPremium', 20],
      ['exchangePlan1', 5],
    ],
  },
  { key: 'bellows', name: 'Bellows College', identifier: 'BellowsCollege', city: 'Boston', state: 'MA', additions: null },
  {
    key: 'bestforyou',
    name: 'Best For You Organics Company',
    identifier: 'BestForYouOrganics',
    city: 'Portland',
    state: 'OR',
    additions: [['businessStandard', 15]],
  },
  {
    key: 'blueyonder',
    name: 'Blue Yonder Airlines',
    identifier: 'BlueYonderAirlines',
    city: 'Dallas',
    state: 'TX',
    additions: [
      ['e5', 60],
      ['copilot', 20],
      ['visioPlan2', 4],
    ],
  },
  {
    key: 'citypower',
    name: 'City Power & Light',
    identifier: 'CityPowerLight',
    city: 'Chicago',
    state: 'IL',
    additions: [
      ['e3', 5],
      ['exchangePlan1', 10],
    ],
  },
  {
    key: 'coho',
    name: 'Coho Winery',
    identifier: 'CohoWinery',
    city: 'Napa',
    state: 'CA',
    additions: [['businessPremium', 12]],
    extra: 'cancelledHistory',
  },
  {
    key: 'consolidated',
    name: 'Consolidated Messenger',
    identifier: 'ConsolidatedMessenger',
    city: 'Atlanta',
    state: 'GA',
    additions: [
      ['businessBasic', 30],
      ['exchangePlan1', 12],
    ],
  },
  {
    key: 'firstup',
    name: 'First Up Consultants',
    identifier: 'FirstUpConsultants',
    city: 'London',
    state: '',
    additions: [
      ['businessStandard', 8],
      ['powerBiPro', 3],
    ],
  },
  {
    key: 'fourthcoffee',
    name: 'Fourth Coffee',
    identifier: 'FourthCoffee',
    city: 'Vancouver',
    state: 'BC',
    additions: [['businessPremium', 18]],
  },
  {
    key: 'graphicdesign',
    name: 'Graphic Design Institute',
    identifier: 'GraphicDesignInstitute',
    city: 'Toronto',
    state: 'ON',
    additions: [
      ['businessBasic', 200],
      ['visioPlan2', 10],
    ],
  },
  {
    key: 'humongous',
    name: 'Humongous Insurance',
    identifier: 'HumongousInsurance',
    city: 'Hartford',
    state: 'CT',
    additions: [
      ['e3', 80],
      ['e5Security', 15],
      ['copilot', 25],
    ],
  },
  {
    key: 'lamna',
    name: 'Lamna Healthcare Company',
    identifier: 'LamnaHealthcare',
    city: 'Minneapolis',
    state: 'MN',
    additions: [
      ['e5', 45],
      ['powerBiPro', 12],
    ],
  },
  {
    key: 'litware',
    name: 'Litware, Inc.',
    identifier: 'LitwareInc',
    city: 'Redmond',
    state: 'WA',
    additions: [['businessPremium', 35]],
    prorate: false,
  },
  {
    key: 'lucerne',
    name: 'Lucerne Publishing',
    identifier: 'LucernePublishing',
    city: 'New York',
    state: 'NY',
    additions: [
      ['businessStandard', 10],
      ['exchangePlan1', 6],
    ],
  },
  {
    key: 'margies',
    name: "Margie's Travel",
    identifier: 'MargiesTravel',
    city: 'Miami',
    state: 'FL',
    additions: [['businessStandard', 14]],
  },
  {
    key: 'munson',
    name: "Munson's Pickles and Preserves Farm",
    identifier: 'MunsonsPickles',
    city: 'Madison',
    state: 'WI',
    additions: [['businessBasic', 6]],
  },
  {
    key: 'nod',
    name: 'Nod Publishers',
    identifier: 'NodPublishers',
    city: 'Austin',
    state: 'TX',
    additions: [
      ['businessStandard', 20],
      ['powerBiPro', 5],
    ],
  },
  {
    key: 'proseware',
    name: 'Proseware, Inc.',
    identifier: 'ProsewareInc',
    city: 'San Jose',
    state: 'CA',
    additions: [
      ['e3', 40],
      ['copilot', 5],
    ],
  },
  {
    key: 'relecloud',
    name: 'Relecloud',
    identifier: 'Relecloud',
    city: 'Salt Lake City',
    state: 'UT',
    additions: [['businessPremium', 25]],
  },
  {
    key: 'southridge',
    name: 'Southridge Video',
    identifier: 'SouthridgeVideo',
    city: 'Los Angeles',
    state: 'CA',
    additions: [['exchangePlan1', 15]],
  },
  { key: 'trey', name: 'Trey Research', identifier: 'TreyResearch', city: 'Raleigh', state: 'NC', additions: [['e5', 12]] },
  {
    key: 'vanarsdel',
    name: 'VanArsdel, Ltd.',
    identifier: 'VanArsdelLtd',
    city: 'Phoenix',
    state: 'AZ',
    additions: [
      ['businessPremium', 50],
      ['powerBiPro', 20],
      ['visioPlan2', 3],
    ],
  },
  {
    key: 'wideworld',
    name: 'Wide World Importers',
    identifier: 'WideWorldImporters',
    city: 'Amsterdam',
    state: '',
    additions: [['businessStandard', 28]],
  },
  {
    key: 'woodgrove',
    name: 'Woodgrove Bank',
    identifier: 'WoodgroveBank',
    city: 'Charlotte',
    state: 'NC',
    additions: [
      ['e5', 150],
      ['copilot', 50],
      ['powerBiPro', 30],
    ],
    extra: 'support',
  },
];

// What differs on purpose, for tests and the demo script.
export const DEMO_CONNECTWISE_QUIRKS = {
  companies: 25,
  withoutAgreement: 'Bellows College',
  productNotInCatalog: 'Microsoft Teams Essentials (AAD Identity)', // Bellows, Litware and Southridge have it in Microsoft
  inactiveProduct: 'O365-E3-LEGACY',
  agreementWithoutProrate: 'Litware, Inc.', // prorateFlag false: new additions bill from the next invoice
  cancelledAgreement: 'Adatum Corporation', // an old, cancelled agreement beside the active one
  cancelledAddition: 'Coho Winery', // Business Standard, cancelled when it moved to Business Premium
  seatCountBehindMicrosoft: { company: 'Nod Publishers', product: 'M365-BUS-STD', connectWise: 20, microsoft: 22 },
  nonMicrosoftAdditions: ['Adatum Corporation', 'Woodgrove Bank'], // managed support per user: not Sync 365's to change
} as const;

export interface ConnectWiseDemoOptions {
  now?: number; // ms; agreements start relative to this month (default: now)
}

function monthStart(now: number, monthsBack: number): string {
  const date = new Date(now);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - monthsBack, 1)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function connectWiseDemoScenario(options: ConnectWiseDemoOptions = {}): ConnectWiseScenario {
  const now = options.now ?? Date.now();
  const catalog: CatalogItemRecord[] = [];
  const productIds = new Map<string, CatalogItemRecord>();
  let catalogId = 500;
  for (const product of [
    ...Object.values(DEMO_PRODUCTS).map((p) => ({ ...p, productClass: 'Agreement', inactive: false })),
    ...OTHER_PRODUCTS,
  ]) {
    const item: CatalogItemRecord = {
      id: catalogId++,
      identifier: product.identifier,
      description: product.description,
      inactiveFlag: product.inactive ?? false,
      price: product.price,
      cost: product.cost,
      productClass: product.productClass,
      taxableFlag: false,
      type: { id: product.productClass === 'Service' ? 2 : 1, name: product.productClass === 'Service' ? 'Service' : 'Licensing' },
    };
    catalog.push(item);
    productIds.set(item.identifier, item);
  }

  const companies: CompanyRecord[] = [];
  const agreements: AgreementRecord[] = [];
  const additions: AdditionRecord[] = [];
  let agreementId = 100;
  let additionId = 1000;
  const addition = (agreement: AgreementRecord, identifier: string, quantity: number, extra: Partial<AdditionRecord> = {}): void => {
    const product = productIds.get(identifier)!;
    additions.push({
      id: additionId++,
      agreementId: agreement.id,
      product: { id: product.id, identifier: product.identifier, name: product.description },
      billCustomer: 'Billable',
      quantity,
      lessIncluded: 0,
      unitPrice: product.price,
      unitCost: product.cost,
      effectiveDate: agreement.startDate,
      cancelledDate: null,
      invoiceDescription: null,
      serialNumber: null,
      description: product.description,
      taxableFlag: false,
      prorateCurrentPeriodFlag: agreement.prorateFlag,
      dateEntered: agreement.startDate,
      lastUpdated: agreement.startDate,
      ...extra,
    });
  };

  ROWS.forEach((row, index) => {
    const company: CompanyRecord = {
      id: 250 + index,
      identifier: row.identifier,
      name: row.name,
      status: { id: 1, name: 'Active' },
      types: [{ id: 1, name: 'Client' }],
      deletedFlag: false,
      city: row.city,
      state: row.state,
    };
    companies.push(company);
    if (!row.additions) return;
    const start = monthStart(now, 6 + (index % 12));
    if (row.extra === 'cancelledHistory' || row.key === 'adatum') {
      // Adatum: an older agreement, cancelled when the current one replaced it.
      if (row.key === 'adatum') {
        agreements.push(agreementFor(agreementId++, company, 'Microsoft 365 (2024)', monthStart(now, 30), false, 'Cancelled', true));
      }
    }
    const agreement = agreementFor(agreementId++, company, 'Microsoft 365', start, row.prorate ?? true, 'Active', true);
    agreements.push(agreement);
    for (const [key, quantity] of row.additions) addition(agreement, DEMO_PRODUCTS[key].identifier, quantity);
    if (row.extra === 'support') addition(agreement, 'MSP-SUPPORT-USER', row.additions[0][1]);
    if (row.extra === 'cancelledHistory') {
      addition(agreement, DEMO_PRODUCTS.businessStandard.identifier, 10, { cancelledDate: monthStart(now, 3) });
    }
  });

  return {
    name: 'demo',
    companyId: DEMO_CONNECTWISE_CREDENTIALS.companyId,
    companyName: 'Contoso Partners',
    codebase: 'v4_6_release/',
    clientIds: [DEMO_CONNECTWISE_CREDENTIALS.clientId],
    apiMembers: [
      {
        memberIdentifier: 'Sync365',
        publicKey: DEMO_CONNECTWISE_CREDENTIALS.publicKey,
        privateKey: DEMO_CONNECTWISE_CREDENTIALS.privateKey,
        permissions: ['companies', 'agreements', 'catalog', 'invoices'],
      },
      { memberIdentifier: 'Sync365Limited', ...DEMO_CONNECTWISE_LIMITED_MEMBER, permissions: ['companies', 'catalog'] },
    ],
    companies,
    catalog,
    agreements,
    additions,
  };
}

function agreementFor(
  id: number,
  company: CompanyRecord,
  name: string,
  startDate: string,
  prorateFlag: boolean,
  status: AgreementRecord['agreementStatus'],
  noEnd: boolean,
): AgreementRecord {
  return {
    id,
    name,
    type: { id: 3, name: 'Microsoft 365 Licensing' },
    company: { id: company.id, identifier: company.identifier, name: company.name },
    agreementStatus: status,
    cancelledFlag: status === 'Cancelled',
    startDate,
    endDate: status === 'Cancelled' ? startDate.replace(/^(\d{4})/, (year) => String(Number(year) + 1)) : null,
    noEndingDateFlag: noEnd && status !== 'Cancelled',
    billingCycle: { id: 1, name: 'Monthly' },
    billStartDate: startDate,
    prorateFlag,
  };
}

// The Microsoft emulator's customer keys behind the demo companies (for tests that join the two worlds).
export const DEMO_CONNECTWISE_COMPANY_KEYS: Readonly<Record<string, string>> = Object.fromEntries(ROWS.map((row) => [row.name, row.key]));
