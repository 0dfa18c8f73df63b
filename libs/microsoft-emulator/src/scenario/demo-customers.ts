import type { LicenceSpec } from './customer-builder';
import type { Address } from './scenario';
import type { SkuKey } from './sku-catalog';

// The demo's customers: realistic Microsoft 365 estates with one of each quirk the product must handle.
// DEMO_QUIRKS (demo.scenario.ts) lists which customer carries which quirk, with exact counts.

export type DemoPartnerKey = 'contoso' | 'tailspin' | 'northwind';
// full: Global Reader + Application Administrator for the service account's group.
// noLicenceRole: an active relationship whose only role for the service account is Application Administrator: no
// role that may read the customer's licences (Partner Center subscribedskus refuses) or directory.
export type DemoGdap = 'full' | 'noAppAdmin' | 'expired' | 'none' | 'noLicenceRole';

export interface DemoCustomerRow {
  key: string;
  companyName: string;
  domain: string;
  address: Address;
  contact: { firstName: string; lastName: string };
  partner: DemoPartnerKey;
  gdap: DemoGdap;
  gdapActivatedDaysAgo: number;
  licences: LicenceSpec[];
}

// The partner tenant that sold First Up Consultants its Visio (not one of the demo's partners).
export const OTHER_PARTNER_TENANT_ID = '5b0c7a1e-3d4f-4e2a-9c6b-8f1d2e3a4b5c';

function licence(
  sku: SkuKey,
  quantity: number,
  consumed: number,
  term: 'P1M' | 'P1Y',
  startDaysAgo: number,
  extra: Partial<LicenceSpec> = {},
): LicenceSpec {
  return { sku, quantity, consumed, term, startDaysAgo, ...extra };
}

function address(
  addressLine1: string,
  city: string,
  region: string,
  postalCode: string,
  country = 'US',
  phoneNumber = '4255550100',
): Address {
  return { country, region, city, addressLine1, postalCode, phoneNumber };
}

function row(
  key: string,
  companyName: string,
  domain: string,
  place: Address,
  contact: [string, string],
  partner: DemoPartnerKey,
  gdap: DemoGdap,
  gdapActivatedDaysAgo: number,
  licences: LicenceSpec[],
): DemoCustomerRow {
  return {
    key,
    companyName,
    domain,
    address: place,
    contact: { firstName: contact[0], lastName: contact[1] },
    partner,
    gdap,
    gdapActivatedDaysAgo,
    licences,
  };
}

export const DEMO_CUSTOMER_ROWS: readonly DemoCustomerRow[] = [
  // Contoso Partners (direct bill): 25 customers.
  row(
    'adatum',
    'Adatum Corporation',
    'adatum.example',
    address('500 Pine Street', 'Seattle', 'WA', '98101'),
    ['Amelia', 'Ortiz'],
    'contoso',
    'full',
    420,
    [
      // Annual term started 200 days ago: its seats can be reduced only at renewal (a scheduled change). Changes to
      // its quantity answer 202 Accepted and are made a minute later (pending in Partner Center).
      licence('e3', 50, 47, 'P1Y', 200, { acceptsChangesLater: true }),
      licence('powerBiPro', 10, 7, 'P1M', 12, { createdDaysAgo: 400 }),
    ],
  ),
  row(
    'alpine',
    'Alpine Ski House',
    'alpineskihouse.example',
    address('1 Summit Road', 'Denver', 'CO', '80202'),
    ['Lars', 'Hoffmann'],
    'contoso',
    'full',
    380,
    [
      licence('businessPremium', 20, 20, 'P1Y', 90, { billing: 'monthly' }),
      licence('exchangePlan1', 5, 3, 'P1M', 20, { createdDaysAgo: 300 }),
    ],
  ),
  row(
    'bellows',
    'Bellows College',
    'bellowscollege.example',
    address('12 Campus Drive', 'Boston', 'MA', '02115'),
    ['Grace', 'Whitman'],
    'contoso',
    'full',
    350,
    [
      licence('businessBasic', 120, 95, 'P1M', 5, { createdDaysAgo: 700 }),
      licence('teamsEssentials', 40, 38, 'P1M', 5, { createdDaysAgo: 200 }),
    ],
  ),
  row(
    'bestforyou',
    'Best For You Organics Company',
    'bestforyouorganics.example',
    address('77 Market Street', 'Portland', 'OR', '97204'),
    ['Nora', 'Lindqvist'],
    'contoso',
    'full',
    330,
    [
      // Bought two days ago: still inside the 7-day window where seats can be reduced.
      licence('businessStandard', 15, 12, 'P1Y', 2),
    ],
  ),
  row(
    'blueyonder',
    'Blue Yonder Airlines',
    'blueyonderairlines.example',
    address('3000 Airfield Way', 'Dallas', 'TX', '75261'),
    ['Hector', 'Ramos'],
    'contoso',
    'full',
    310,
    [
      licence('e5', 60, 58, 'P1Y', 150),
      licence('copilot', 20, 12, 'P1Y', 60),
      licence('visioPlan2', 4, 4, 'P1M', 25, { createdDaysAgo: 100 }),
    ],
  ),
  row(
    'citypower',
    'City Power & Light',
    'citypowerlight.example',
    address('200 Grid Avenue', 'Chicago', 'IL', '60601'),
    ['Marcus', 'Bell'],
    'contoso',
    'full',
    290,
    [
      // Suspended by the partner: its 25 seats sit in the suspended state.
      licence('e3', 25, 0, 'P1Y', 120, { status: 'suspended', autoRenew: false }),
      licence('e3', 5, 5, 'P1M', 10, { createdDaysAgo: 40 }),
      licence('exchangePlan1', 10, 9, 'P1M', 10, { createdDaysAgo: 200 }),
    ],
  ),
  row(
    'coho',
    'Coho Winery',
    'cohowinery.example',
    address('45 Vineyard Lane', 'Napa', 'CA', '94558'),
    ['Sofia', 'Moretti'],
    'contoso',
    'full',
    270,
    [
      // Over-assigned: 15 users hold a licence, 12 are paid for.
      licence('businessPremium', 12, 15, 'P1M', 3, { createdDaysAgo: 500 }),
    ],
  ),
  row(
    'consolidated',
    'Consolidated Messenger',
    'consolidatedmessenger.example',
    address('88 Courier Plaza', 'Atlanta', 'GA', '30303'),
    ['Owen', 'Price'],
    'contoso',
    'full',
    250,
    [licence('businessBasic', 30, 21, 'P1Y', 250), licence('exchangePlan1', 12, 12, 'P1Y', 250)],
  ),
  row(
    'firstup',
    'First Up Consultants',
    'firstupconsultants.example',
    address('10 Fleet Street', 'London', 'London', 'EC4Y 1AA', 'GB', '442079460000'),
    ['Priya', 'Shah'],
    'contoso',
    'full',
    230,
    [
      licence('businessStandard', 8, 6, 'P1M', 14, { createdDaysAgo: 90 }),
      licence('powerBiPro', 3, 3, 'P1M', 14, { createdDaysAgo: 90 }),
      // Visio bought through another partner, cancelled and past its grace period: LockedOut in the directory.
      licence('visioPlan2', 2, 0, 'P1Y', 500, {
        createdDaysAgo: 500,
        boughtElsewhere: true,
        directoryStatus: 'LockedOut',
        ownerTenantId: OTHER_PARTNER_TENANT_ID,
      }),
    ],
  ),
  row(
    'fourthcoffee',
    'Fourth Coffee',
    'fourthcoffee.example',
    address('4 Roastery Row', 'Vancouver', 'BC', 'V6B 1A1', 'CA', '6045550100'),
    ['Ethan', 'Clarke'],
    'contoso',
    'noAppAdmin',
    210,
    [licence('businessPremium', 18, 16, 'P1Y', 300)],
  ),
  row(
    'graphicdesign',
    'Graphic Design Institute',
    'graphicdesigninstitute.example',
    address('150 King Street West', 'Toronto', 'ON', 'M5H 1J9', 'CA', '4165550100'),
    ['Maya', 'Fontaine'],
    'contoso',
    'full',
    190,
    [licence('businessBasic', 200, 143, 'P1M', 8, { createdDaysAgo: 800 }), licence('visioPlan2', 10, 7, 'P1Y', 45)],
  ),
  row(
    'humongous',
    'Humongous Insurance',
    'humongousinsurance.example',
    address('1 Policy Plaza', 'Hartford', 'CT', '06103'),
    ['Daniel', 'Kowalski'],
    'contoso',
    'full',
    170,
    [
      licence('e3', 80, 80, 'P1Y', 33),
      // A SKU Sync 365's hand-written list does not know: only Partner Center's catalogue names it.
      licence('e5Security', 15, 13, 'P1Y', 33),
      licence('copilot', 25, 25, 'P1Y', 33),
    ],
  ),
  row(
    'lamna',
    'Lamna Healthcare Company',
    'lamnahealthcare.example',
    address('900 Clinic Road', 'Minneapolis', 'MN', '55401'),
    ['Ingrid', 'Larsen'],
    'contoso',
    'full',
    160,
    [licence('e5', 45, 41, 'P1Y', 180), licence('powerBiPro', 12, 9, 'P1Y', 180)],
  ),
  row(
    'litware',
    'Litware, Inc.',
    'litware.example',
    address('16000 NE 8th Street', 'Redmond', 'WA', '98052'),
    ['Kevin', 'Ng'],
    'contoso',
    'full',
    150,
    [
      licence('businessPremium', 35, 30, 'P1Y', 75, { billing: 'monthly' }),
      licence('teamsEssentials', 10, 4, 'P1M', 18, { createdDaysAgo: 48 }),
    ],
  ),
  row(
    'lucerne',
    'Lucerne Publishing',
    'lucernepublishing.example',
    address('350 Fifth Avenue', 'New York', 'NY', '10118'),
    ['Helen', 'Brandt'],
    'contoso',
    'full',
    140,
    [
      licence('businessStandard', 10, 9, 'P1Y', 100),
      // Expired eleven days ago and not renewed: its 5 seats are in the warning (grace) state.
      licence('businessStandard', 5, 0, 'P1M', 42, { createdDaysAgo: 160, status: 'expired' }),
      licence('exchangePlan1', 6, 6, 'P1M', 9, { createdDaysAgo: 300 }),
    ],
  ),
  row(
    'margies',
    "Margie's Travel",
    'margiestravel.example',
    address('2 Ocean Drive', 'Miami', 'FL', '33139'),
    ['Margie', 'Sullivan'],
    'contoso',
    'full',
    130,
    [
      licence('businessStandard', 14, 11, 'P1M', 21, { createdDaysAgo: 220 }),
      // Bought directly from Microsoft: in the tenant's licences, not in Contoso's Partner Center.
      licence('visioPlan2', 5, 2, 'P1Y', 130, { boughtElsewhere: true }),
    ],
  ),
  row(
    'munson',
    "Munson's Pickles and Preserves Farm",
    'munsonspickles.example',
    address('RR 2 Orchard Road', 'Madison', 'WI', '53703'),
    ['Ruth', 'Munson'],
    'contoso',
    'full',
    120,
    [licence('businessBasic', 6, 5, 'P1M', 27, { createdDaysAgo: 1000 })],
  ),
  row(
    'nod',
    'Nod Publishers',
    'nodpublishers.example',
    address('600 Congress Avenue', 'Austin', 'TX', '78701'),
    ['Tomas', 'Herrera'],
    'contoso',
    'full',
    110,
    [licence('businessStandard', 22, 20, 'P1Y', 210), licence('powerBiPro', 5, 1, 'P1M', 6, { createdDaysAgo: 66 })],
  ),
  row(
    'proseware',
    'Proseware, Inc.',
    'proseware.example',
    address('1 Technology Drive', 'San Jose', 'CA', '95110'),
    ['Aisha', 'Karimi'],
    'contoso',
    'noAppAdmin',
    100,
    [licence('e3', 40, 36, 'P1Y', 280), licence('copilot', 5, 5, 'P1M', 15, { createdDaysAgo: 75 })],
  ),
  row(
    'relecloud',
    'Relecloud',
    'relecloud.example',
    address('50 Temple Square', 'Salt Lake City', 'UT', '84111'),
    ['Victor', 'Chen'],
    'contoso',
    'full',
    90,
    [
      licence('businessPremium', 25, 21, 'P1Y', 140),
      // A one-month Copilot trial, not renewing.
      licence('copilot', 25, 10, 'P1M', 11, { trial: true }),
    ],
  ),
  row(
    'southridge',
    'Southridge Video',
    'southridgevideo.example',
    address('7000 Sunset Boulevard', 'Los Angeles', 'CA', '90028'),
    ['Chloe', 'Martin'],
    'contoso',
    'noLicenceRole',
    80,
    [
      licence('exchangePlan1', 15, 15, 'P1M', 4, { createdDaysAgo: 380 }),
      licence('teamsEssentials', 15, 12, 'P1M', 4, { createdDaysAgo: 380 }),
    ],
  ),
  row(
    'trey',
    'Trey Research',
    'treyresearch.example',
    address('100 Research Parkway', 'Raleigh', 'NC', '27601'),
    ['Samuel', 'Okafor'],
    'contoso',
    'expired',
    800,
    [licence('e5', 12, 12, 'P1Y', 190)],
  ),
  row(
    'vanarsdel',
    'VanArsdel, Ltd.',
    'vanarsdel.example',
    address('2 Desert Sky Road', 'Phoenix', 'AZ', '85004'),
    ['Isabel', 'VanArsdel'],
    'contoso',
    'full',
    70,
    [
      licence('businessPremium', 50, 44, 'P1Y', 60),
      licence('powerBiPro', 20, 18, 'P1Y', 60),
      licence('visioPlan2', 3, 2, 'P1M', 16, { createdDaysAgo: 76 }),
    ],
  ),
  row(
    'wideworld',
    'Wide World Importers',
    'wideworldimporters.example',
    address('Prinsengracht 263', 'Amsterdam', 'NH', '1016 GV', 'NL', '31205550100'),
    ['Pieter', 'de Vries'],
    'contoso',
    'none',
    0,
    [licence('businessStandard', 28, 25, 'P1Y', 170)],
  ),
  row(
    'woodgrove',
    'Woodgrove Bank',
    'woodgrovebank.example',
    address('101 Tryon Street', 'Charlotte', 'NC', '28202'),
    ['Rebecca', 'Stone'],
    'contoso',
    'full',
    60,
    [licence('e5', 150, 142, 'P1Y', 230), licence('copilot', 50, 47, 'P1Y', 95), licence('powerBiPro', 30, 30, 'P1Y', 230)],
  ),

  // Tailspin Distribution (indirect provider), sold through the reseller Fabrikam.
  row(
    'wingtip',
    'Wingtip Toys',
    'wingtiptoys.example',
    address('20 Harbor Steps', 'Seattle', 'WA', '98104'),
    ['Ben', 'Foster'],
    'tailspin',
    'full',
    200,
    [licence('businessPremium', 10, 8, 'P1Y', 110)],
  ),
  row(
    'fineart',
    'School of Fine Art',
    'schooloffineart.example',
    address('Kunstallee 5', 'Berlin', 'BE', '10117', 'DE', '49305550100'),
    ['Lena', 'Vogel'],
    'tailspin',
    'full',
    180,
    [licence('businessBasic', 60, 41, 'P1M', 13, { createdDaysAgo: 400 })],
  ),
  row(
    'liberty',
    "Liberty's Delightful Sinful Bakery & Cafe",
    'libertysbakery.example',
    address('14 Woodward Avenue', 'Detroit', 'MI', '48226'),
    ['Liberty', 'James'],
    'tailspin',
    'full',
    160,
    [
      licence('businessStandard', 7, 7, 'P1M', 22, { createdDaysAgo: 150 }),
      licence('exchangePlan1', 2, 1, 'P1M', 22, { createdDaysAgo: 150 }),
    ],
  ),

  // Northwind Partners (direct bill, admin consent required in its directory).
  row(
    'tailwind',
    'Tailwind Traders',
    'tailwindtraders.example',
    address('1 Lakeside Avenue', 'Cleveland', 'OH', '44114'),
    ['Oscar', 'Lindgren'],
    'northwind',
    'full',
    240,
    [licence('businessPremium', 30, 27, 'P1Y', 95)],
  ),
  row(
    'bellevuedental',
    'Bellevue Dental Clinic',
    'bellevuedental.example',
    address('10900 NE 4th Street', 'Bellevue', 'WA', '98004'),
    ['Hannah', 'Kim'],
    'northwind',
    'full',
    220,
    [licence('businessBasic', 9, 9, 'P1M', 7, { createdDaysAgo: 365 })],
  ),
];
