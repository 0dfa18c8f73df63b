import type { AdditionRecord, AgreementRecord, CatalogItemRecord, CompanyRecord, ConnectWiseScenario } from './scenario';
import { DEMO_CONNECTWISE_CREDENTIALS, DEMO_PRODUCTS } from './demo.scenario';

// A ConnectWise world from a plain list, e.g. one company per customer of a generated Microsoft world (benchmarks):
// the demo's API member and catalog, one active Monthly "Microsoft 365" agreement per company with additions.
export interface ConnectWiseCompanySpec {
  name: string;
  identifier?: string; // default: the name without spaces and punctuation, at most 25 characters
  additions: { product: string; quantity: number }[] | null; // catalog identifiers; null: no agreement
  prorate?: boolean; // default true
}

export interface ConnectWiseScenarioOptions {
  name?: string; // default "generated"
  now?: number; // agreements start on the first of the month, six months before this
}

export function buildConnectWiseScenario(
  companies: ConnectWiseCompanySpec[],
  options: ConnectWiseScenarioOptions = {},
): ConnectWiseScenario {
  const now = new Date(options.now ?? Date.now());
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 6, 1)).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const catalog: CatalogItemRecord[] = Object.values(DEMO_PRODUCTS).map((product, index) => ({
    id: 500 + index,
    identifier: product.identifier,
    description: product.description,
    inactiveFlag: false,
    price: product.price,
    cost: product.cost,
    productClass: 'Agreement',
    taxableFlag: false,
    type: { id: 1, name: 'Licensing' },
  }));
  const byIdentifier = new Map(catalog.map((item) => [item.identifier, item]));
  const records: CompanyRecord[] = [];
  const agreements: AgreementRecord[] = [];
  const additions: AdditionRecord[] = [];
  const identifiers = new Set<string>();
  companies.forEach((spec, index) => {
    let identifier = (spec.identifier ?? spec.name.replace(/[^A-Za-z0-9]/g, '')).slice(0, 25) || `Company${index}`;
    // ConnectWise company identifiers are unique.
    for (let n = 2; identifiers.has(identifier.toLowerCase()); n++) identifier = `${identifier.slice(0, 25 - String(n).length)}${n}`;
    identifiers.add(identifier.toLowerCase());
    const company: CompanyRecord = {
      id: 250 + index,
      identifier,
      name: spec.name,
      status: { id: 1, name: 'Active' },
      types: [{ id: 1, name: 'Client' }],
      deletedFlag: false,
    };
    records.push(company);
    if (!spec.additions) return;
    const agreement: AgreementRecord = {
      id: 100 + agreements.length,
      name: 'Microsoft 365',
      type: { id: 3, name: 'Microsoft 365 Licensing' },
      company: { id: company.id, identifier, name: company.name },
      agreementStatus: 'Active',
      cancelledFlag: false,
      startDate: start,
      endDate: null,
      noEndingDateFlag: true,
      billingCycle: { id: 1, name: 'Monthly' },
      billStartDate: start,
      prorateFlag: spec.prorate ?? true,
    };
    agreements.push(agreement);
    for (const line of spec.additions) {
      const product = byIdentifier.get(line.product);
      if (!product) throw new Error(`No catalog product "${line.product}" (known: ${[...byIdentifier.keys()].join(', ')})`);
      additions.push({
        id: 1000 + additions.length,
        agreementId: agreement.id,
        product: { id: product.id, identifier: product.identifier, name: product.description },
        billCustomer: 'Billable',
        quantity: line.quantity,
        lessIncluded: 0,
        unitPrice: product.price,
        unitCost: product.cost,
        effectiveDate: start,
        cancelledDate: null,
        invoiceDescription: null,
        serialNumber: null,
        description: product.description,
        taxableFlag: false,
        prorateCurrentPeriodFlag: agreement.prorateFlag,
        dateEntered: start,
        lastUpdated: start,
      });
    }
  });
  return {
    name: options.name ?? 'generated',
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
    ],
    companies: records,
    catalog,
    agreements,
    additions,
  };
}
