import { graphConsent, provisionApp } from './application-consents';
import { buildCustomer, buildGdapRelationship, type LicenceSpec } from './customer-builder';
import { demoDirectory, demoInvoices, DEMO_IDS, partnerTenants } from './demo.scenario';
import { dayAnchor, SeededRandom } from './deterministic';
import type { Address, Customer, GdapRelationship, Scenario } from './scenario';
import { ROLE_IDS, skuCatalog, type SkuKey } from './sku-catalog';

export interface GenerateScenarioOptions {
  customers: number;
  seed: number;
  now?: number; // ms; dates are relative to this day (default: today)
}

const PREFIXES = [
  'Blue',
  'Silver',
  'Summit',
  'Harbor',
  'Maple',
  'Granite',
  'Evergreen',
  'Pioneer',
  'Lakeside',
  'Golden',
  'Iron',
  'Cedar',
  'Bright',
  'Coastal',
  'Prairie',
  'Riverbend',
  'Sunrise',
  'Oak',
  'Northgate',
  'Red Rock',
];
const CORES = [
  'Logistics',
  'Dental',
  'Engineering',
  'Bakery',
  'Consulting',
  'Legal',
  'Accounting',
  'Architects',
  'Motors',
  'Clinic',
  'Foods',
  'Analytics',
  'Construction',
  'Media',
  'Outfitters',
  'Realty',
  'Pharmacy',
  'Labs',
  'Travel',
  'Insurance',
];
const SUFFIXES = ['Ltd.', 'Inc.', 'LLC', 'Group', 'GmbH', '& Co.', 'Partners', 'Company', 'Holdings', 'Services'];
const FIRST_NAMES = ['Alex', 'Sam', 'Jordan', 'Taylor', 'Morgan', 'Casey', 'Robin', 'Jamie', 'Avery', 'Riley', 'Quinn', 'Drew'];
const LAST_NAMES = ['Smith', 'Garcia', 'Müller', 'Nguyen', 'Okafor', 'Rossi', 'Kowalski', 'Tanaka', 'Dubois', 'Andersen', 'Silva', 'Patel'];
const PLACES: Address[] = [
  { country: 'US', region: 'WA', city: 'Seattle', addressLine1: '', postalCode: '98101', phoneNumber: '2065550100' },
  { country: 'US', region: 'NY', city: 'New York', addressLine1: '', postalCode: '10001', phoneNumber: '2125550100' },
  { country: 'US', region: 'TX', city: 'Houston', addressLine1: '', postalCode: '77002', phoneNumber: '7135550100' },
  { country: 'GB', region: 'London', city: 'London', addressLine1: '', postalCode: 'SW1A 1AA', phoneNumber: '442079460100' },
  { country: 'DE', region: 'BY', city: 'Munich', addressLine1: '', postalCode: '80331', phoneNumber: '49895550100' },
  { country: 'NL', region: 'NH', city: 'Amsterdam', addressLine1: '', postalCode: '1012 AB', phoneNumber: '31205550100' },
  { country: 'CA', region: 'ON', city: 'Toronto', addressLine1: '', postalCode: 'M5H 2N2', phoneNumber: '4165550100' },
  { country: 'AU', region: 'NSW', city: 'Sydney', addressLine1: '', postalCode: '2000', phoneNumber: '61295550100' },
];
const SKU_KEYS: SkuKey[] = [
  'businessBasic',
  'businessStandard',
  'businessPremium',
  'e3',
  'e5',
  'exchangePlan1',
  'teamsEssentials',
  'copilot',
  'powerBiPro',
  'visioPlan2',
];

// A seeded world with the demo's partners and users and `customers` customers of Contoso Partners
// (direct bill), for benchmarks and paging tests. Same seed and day ⇒ same world.
export function generateScenario(options: GenerateScenarioOptions): Scenario {
  const count = Math.max(0, Math.floor(options.customers));
  const rng = new SeededRandom(options.seed);
  const anchor = dayAnchor(options.now ?? Date.now());
  const directory = demoDirectory();
  const partners = partnerTenants(directory.tenants);
  const newId = () => rng.guid();
  const customers: Customer[] = [];
  const gdapRelationships: GdapRelationship[] = [];
  const { globalReader, applicationAdministrator } = ROLE_IDS;

  for (let index = 0; index < count; index++) {
    const companyName = `${rng.pick(PREFIXES)} ${rng.pick(CORES)} ${rng.pick(SUFFIXES)}`;
    const slug = companyName.toLowerCase().replace(/[^a-z0-9]+/g, '');
    const place = rng.pick(PLACES);
    const customer = buildCustomer(
      {
        id: rng.guid(),
        companyName,
        domain: `${slug}${index}.example`,
        address: { ...place, addressLine1: `${rng.int(1, 9999)} ${rng.pick(PREFIXES)} Street` },
        contact: { firstName: rng.pick(FIRST_NAMES), lastName: rng.pick(LAST_NAMES) },
        createdDaysAgo: rng.int(30, 3000),
        seller: partners.contoso,
        licences: generatedLicences(rng),
      },
      anchor,
      newId,
    );
    // Generated customers have the Sync 365 app already (benchmarks time reads, not provisioning).
    provisionApp(customer, graphConsent(DEMO_IDS.sync365App, 'Sync 365', customer.createdDateTime));
    customers.push(customer);

    const gdap = rng.next();
    if (gdap < 0.03) continue; // no relationship at all
    const expired = gdap < 0.06;
    const roles = gdap < 0.1 ? [globalReader] : [globalReader, applicationAdministrator];
    gdapRelationships.push(
      buildGdapRelationship(
        {
          partner: partners.contoso,
          customer,
          status: expired ? 'expired' : 'active',
          activatedDaysAgo: expired ? rng.int(731, 900) : rng.int(1, 700),
          displayName: `Contoso GDAP ${index + 1}`,
          roleDefinitionIds: roles,
          assignments: [{ securityGroupId: DEMO_IDS.contosoGdapGroup, roleDefinitionIds: roles }],
        },
        anchor,
        newId,
      ),
    );
  }

  return {
    name: `generated-${count}-${options.seed}`,
    ...directory,
    skus: skuCatalog(),
    customers,
    gdapRelationships,
    invoices: demoInvoices(anchor),
  };
}

function generatedLicences(rng: SeededRandom): LicenceSpec[] {
  const licences: LicenceSpec[] = [];
  const skus = new Set<SkuKey>();
  const wanted = rng.int(1, 4);
  while (skus.size < wanted) skus.add(rng.pick(SKU_KEYS));
  for (const sku of skus) {
    const quantity = rng.chance(0.7) ? rng.int(1, 30) : rng.int(31, 500);
    const overAssigned = rng.chance(0.03);
    const consumed = overAssigned ? quantity + rng.int(1, 3) : quantity - rng.int(0, Math.floor(quantity * 0.3));
    const annual = rng.chance(0.55);
    const roll = rng.next();
    licences.push({
      sku,
      quantity,
      consumed,
      term: annual ? 'P1Y' : 'P1M',
      billing: annual && rng.chance(0.3) ? 'monthly' : undefined,
      startDaysAgo: annual ? rng.int(0, 364) : rng.int(0, 29),
      createdDaysAgo: rng.int(365, 1500),
      status: roll < 0.02 ? 'suspended' : 'active',
      trial: roll > 0.99,
      boughtElsewhere: roll > 0.97 && roll <= 0.99,
    });
  }
  return licences;
}
