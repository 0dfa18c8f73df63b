import { addDays, addMonths, firstOfMonth } from '../state/dates';
import type { AutotaskScenario, ScenarioContract, ScenarioContractService, ScenarioService } from './scenario';

// The demo's Autotask: Contoso Partners' own PSA database. Its customers are Contoso's 25 Microsoft customers in
// libs/microsoft-emulator (scenario/demo-customers.ts), under the same company names; each has a recurring-service
// contract billing its Partner Center seats, with two gaps the sync must handle: Nod Publishers has no contract,
// and the service catalogue has no "Microsoft 365 E5 Security" (Humongous Insurance's SKU unknown to Sync 365).

export const AUTOTASK_DEMO_CREDENTIALS = {
  userName: 'sync365-api@contoso-partners.example',
  secret: 'Demo-Autotask-Secret-1',
  integrationCode: 'SYNC365DEMO0TRACKING0CODE01', // 27 characters, like Autotask's tracking identifiers
} as const;

// Same secret and tracking identifier, but a security level that may only read: every write answers 403.
export const AUTOTASK_READ_ONLY_CREDENTIALS = {
  userName: 'readonly-api@contoso-partners.example',
  secret: 'Demo-Autotask-Secret-1',
  integrationCode: 'SYNC365DEMO0TRACKING0CODE01',
} as const;

type ServiceKey =
  | 'businessBasic'
  | 'businessStandard'
  | 'businessPremium'
  | 'e3'
  | 'e5'
  | 'exchangePlan1'
  | 'teamsEssentials'
  | 'copilot'
  | 'powerBiPro'
  | 'visioPlan2';

// Monthly prices per seat (USD) an MSP might charge, with its cost.
const SERVICES: Record<ServiceKey, [string, number, number]> = {
  businessBasic: ['Microsoft 365 Business Basic', 7.2, 6.0],
  businessStandard: ['Microsoft 365 Business Standard', 15.0, 12.5],
  businessPremium: ['Microsoft 365 Business Premium', 26.4, 22.0],
  e3: ['Microsoft 365 E3', 43.2, 36.0],
  e5: ['Microsoft 365 E5', 68.4, 57.0],
  exchangePlan1: ['Exchange Online (Plan 1)', 4.8, 4.0],
  teamsEssentials: ['Microsoft Teams Essentials (AAD Identity)', 4.8, 4.0],
  copilot: ['Microsoft 365 Copilot', 36.0, 30.0],
  powerBiPro: ['Power BI Pro', 16.8, 14.0],
  visioPlan2: ['Visio Plan 2', 18.0, 15.0],
};

// Seats billed today: the quantities of each customer's active Partner Center subscriptions in the Microsoft demo
// (suspended, expired, trial and bought-elsewhere seats are not billed). Keys as in the Microsoft demo.
export const AUTOTASK_DEMO_CUSTOMERS: readonly {
  key: string;
  companyName: string;
  contract: boolean;
  seats: Partial<Record<ServiceKey, number>>;
}[] = [
  { key: 'adatum', companyName: 'Adatum Corporation', contract: true, seats: { e3: 50, powerBiPro: 10 } },
  { key: 'alpine', companyName: 'Alpine Ski House', contract: true, seats: { businessPremium: 20, exchangePlan1: 5 } },
  { key: 'bellows', companyName: 'Bellows College', contract: true, seats: { businessBasic: 120, teamsEssentials: 40 } },
  { key: 'bestforyou', companyName: 'Best For You Organics Company', contract: true, seats: { businessStandard: 15 } },
  { key: 'blueyonder', companyName: 'Blue Yonder Airlines', contract: true, seats: { e5: 60, copilot: 20, visioPlan2: 4 } },
  { key: 'citypower', companyName: 'City Power & Light', contract: true, seats: { e3: 5, exchangePlan1: 10 } },
  { key: 'coho', companyName: 'Coho Winery', contract: true, seats: { businessPremium: 12 } },
  { key: 'consolidated', companyName: 'Consolidated Messenger', contract: true, seats: { businessBasic: 30, exchangePlan1: 12 } },
  { key: 'firstup', companyName: 'First Up Consultants', contract: true, seats: { businessStandard: 8, powerBiPro: 3 } },
  { key: 'fourthcoffee', companyName: 'Fourth Coffee', contract: true, seats: { businessPremium: 18 } },
  { key: 'graphicdesign', companyName: 'Graphic Design Institute', contract: true, seats: { businessBasic: 200, visioPlan2: 10 } },
  // Its 15 seats of Microsoft 365 E5 Security have no Autotask service to bill them with.
  { key: 'humongous', companyName: 'Humongous Insurance', contract: true, seats: { e3: 80, copilot: 25 } },
  { key: 'lamna', companyName: 'Lamna Healthcare Company', contract: true, seats: { e5: 45, powerBiPro: 12 } },
  { key: 'litware', companyName: 'Litware, Inc.', contract: true, seats: { businessPremium: 35, teamsEssentials: 10 } },
  { key: 'lucerne', companyName: 'Lucerne Publishing', contract: true, seats: { businessStandard: 10, exchangePlan1: 6 } },
  { key: 'margies', companyName: "Margie's Travel", contract: true, seats: { businessStandard: 14 } },
  { key: 'munson', companyName: "Munson's Pickles and Preserves Farm", contract: true, seats: { businessBasic: 6 } },
  // A customer without a contract: nothing to sync to until the MSP creates one.
  { key: 'nod', companyName: 'Nod Publishers', contract: false, seats: { businessStandard: 22, powerBiPro: 5 } },
  { key: 'proseware', companyName: 'Proseware, Inc.', contract: true, seats: { e3: 40, copilot: 5 } },
  { key: 'relecloud', companyName: 'Relecloud', contract: true, seats: { businessPremium: 25 } },
  { key: 'southridge', companyName: 'Southridge Video', contract: true, seats: { exchangePlan1: 15, teamsEssentials: 15 } },
  { key: 'trey', companyName: 'Trey Research', contract: true, seats: { e5: 12 } },
  { key: 'vanarsdel', companyName: 'VanArsdel, Ltd.', contract: true, seats: { businessPremium: 50, powerBiPro: 20, visioPlan2: 3 } },
  { key: 'wideworld', companyName: 'Wide World Importers', contract: true, seats: { businessStandard: 28 } },
  { key: 'woodgrove', companyName: 'Woodgrove Bank', contract: true, seats: { e5: 150, copilot: 50, powerBiPro: 30 } },
];

// Ids like a real database's (Autotask numbers records in the tens of millions); company 0 is the MSP itself.
export const AUTOTASK_DEMO_IDS = {
  ownCompany: 0,
  firstCompany: 29684001,
  firstContract: 29690001,
  firstService: 29700001,
  firstContractService: 29710001,
} as const;

export const AUTOTASK_DEMO_MISSING_SERVICE = 'Microsoft 365 E5 Security';
export const AUTOTASK_DEMO_COMPANY_WITHOUT_CONTRACT = 'Nod Publishers';

// Contracts run three years from the first day of the month eleven months ago: monthly periods on calendar months,
// the current one in the middle of the term.
export function autotaskDemoScenario(options: { now?: number } = {}): AutotaskScenario {
  const scenario = buildAutotaskScenario({
    name: 'demo',
    now: options.now,
    customers: AUTOTASK_DEMO_CUSTOMERS.map((customer) => ({
      companyName: customer.companyName,
      contract: customer.contract,
      seats: Object.fromEntries(Object.entries(customer.seats).map(([key, units]) => [SERVICES[key as ServiceKey][0], units])),
    })),
  });
  // An old, finished contract beside Adatum's current one: a sync must pick the active recurring one.
  const adatum = scenario.contracts[0];
  scenario.contracts.push({
    id: AUTOTASK_DEMO_IDS.firstContract + 900_000,
    companyID: adatum.companyID,
    contractName: 'Managed services 2023 (ended)',
    contractNumber: 'MS-2023-001',
    contractType: 7,
    status: 0,
    startDate: addMonths(adatum.startDate, -36),
    endDate: addDays(adatum.startDate, -1),
  });
  return scenario;
}

export interface AutotaskCustomerSpec {
  companyName: string;
  contract?: boolean; // default true: an active recurring-service contract billing `seats`
  seats: Record<string, number>; // service name (one of AUTOTASK_SERVICE_CATALOGUE's, i.e. Microsoft's product names) → units
}

// The catalogue every built scenario has: Microsoft 365 products by their Microsoft names, monthly, with a price.
export const AUTOTASK_SERVICE_CATALOGUE: readonly { name: string; unitPrice: number; unitCost: number }[] = Object.values(SERVICES).map(
  ([name, unitPrice, unitCost]) => ({ name, unitPrice, unitCost }),
);

// A database of customers with one recurring-service contract each (for benchmarks: build the customers from a
// generated Microsoft world, so company names and seats match). Ids are numbered from AUTOTASK_DEMO_IDS.
export function buildAutotaskScenario(options: {
  name: string;
  customers: readonly AutotaskCustomerSpec[];
  now?: number;
}): AutotaskScenario {
  const now = options.now ?? Date.now();
  const start = firstOfMonth(now, -11);
  const end = addDays(addMonths(start, 36), -1);
  const services: ScenarioService[] = AUTOTASK_SERVICE_CATALOGUE.map((entry, index) => ({
    id: AUTOTASK_DEMO_IDS.firstService + index,
    name: entry.name,
    description: `${entry.name}, per user per month`,
    invoiceDescription: `${entry.name} (per user, monthly)`,
    unitPrice: entry.unitPrice,
    unitCost: entry.unitCost,
    periodType: 1,
    isActive: true,
  }));
  const contracts: ScenarioContract[] = [];
  const contractServices: ScenarioContractService[] = [];
  options.customers.forEach((customer, index) => {
    if (customer.contract === false) return;
    const contractId = AUTOTASK_DEMO_IDS.firstContract + index;
    contracts.push({
      id: contractId,
      companyID: AUTOTASK_DEMO_IDS.firstCompany + index,
      contractName: `Microsoft 365 licences - ${customer.companyName}`,
      contractNumber: `M365-${String(index + 1).padStart(3, '0')}`,
      contractType: 7,
      status: 1,
      startDate: start,
      endDate: end,
    });
    for (const [name, units] of Object.entries(customer.seats)) {
      const service = services.find((candidate) => candidate.name === name);
      // A product the catalogue lacks is not billed, like Microsoft 365 E5 Security in the demo.
      if (!service) continue;
      contractServices.push({
        id: AUTOTASK_DEMO_IDS.firstContractService + contractServices.length,
        contractID: contractId,
        serviceID: service.id,
        units,
      });
    }
  });
  return {
    name: options.name,
    zone: { zoneName: 'Local Autotask (emulator)', ci: 770001 },
    apiUsers: [
      { ...AUTOTASK_DEMO_CREDENTIALS, resourceId: 29682885, permissions: 'full' },
      { ...AUTOTASK_READ_ONLY_CREDENTIALS, resourceId: 29682886, permissions: 'readOnly' },
    ],
    companies: [
      {
        id: AUTOTASK_DEMO_IDS.ownCompany,
        companyName: 'Contoso Partners',
        companyNumber: 'OWN',
        companyType: 1,
        isActive: true,
        webAddress: 'https://contoso-partners.example',
      },
      ...options.customers.map((customer, index) => ({
        id: AUTOTASK_DEMO_IDS.firstCompany + index,
        companyName: customer.companyName,
        companyNumber: `C${String(index + 1).padStart(5, '0')}`,
        companyType: 1,
        isActive: true,
      })),
    ],
    services,
    contracts,
    contractServices,
    adjustments: [],
  };
}
