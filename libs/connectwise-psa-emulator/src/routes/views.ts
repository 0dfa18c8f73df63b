import { prorateOf } from '../billing/invoice-run';
import { dayOf } from '../billing/dates';
import type { AdditionRecord, AgreementRecord, CatalogItemRecord, CompanyRecord } from '../scenario/scenario';
import type { ConnectWiseEmulatorState } from '../state/emulator-state';

// Records as ConnectWise answers them: every field present (null when empty), an _info block with hrefs.
const href = (state: ConnectWiseEmulatorState, path: string) =>
  `${state.baseUrl}/${state.scenario.codebase.replace(/^\/+|\/+$/g, '')}/apis/3.0${path}`;

export function companyView(state: ConnectWiseEmulatorState, company: CompanyRecord): Record<string, unknown> {
  return {
    id: company.id,
    identifier: company.identifier,
    name: company.name,
    status: company.status,
    types: company.types,
    phoneNumber: company.phoneNumber ?? null,
    website: company.website ?? null,
    city: company.city ?? null,
    state: company.state ?? null,
    zip: company.zip ?? null,
    deletedFlag: company.deletedFlag,
    _info: { agreements_href: href(state, `/finance/agreements?conditions=company/id=${company.id}`) },
  };
}

export function agreementView(state: ConnectWiseEmulatorState, agreement: AgreementRecord): Record<string, unknown> {
  return {
    ...structuredClone(agreement),
    _info: { additions_href: href(state, `/finance/agreements/${agreement.id}/additions`) },
  };
}

export function catalogView(state: ConnectWiseEmulatorState, item: CatalogItemRecord): Record<string, unknown> {
  return { ...structuredClone(item), _info: { self_href: href(state, `/procurement/catalog/${item.id}`) } };
}

export function additionView(state: ConnectWiseEmulatorState, addition: AdditionRecord): Record<string, unknown> {
  const agreement = state.agreement(addition.agreementId);
  const billedQuantity = addition.quantity - addition.lessIncluded;
  const prorate = prorateOf(agreement, addition, dayOf(state.now()));
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    id: addition.id,
    product: addition.product,
    quantity: addition.quantity,
    lessIncluded: addition.lessIncluded,
    unitPrice: addition.unitPrice,
    unitCost: addition.unitCost,
    billCustomer: addition.billCustomer,
    effectiveDate: addition.effectiveDate,
    cancelledDate: addition.cancelledDate,
    taxableFlag: addition.taxableFlag,
    serialNumber: addition.serialNumber,
    invoiceDescription: addition.invoiceDescription,
    description: addition.description,
    billedQuantity,
    uom: 'Each',
    extPrice: round(billedQuantity * addition.unitPrice),
    extCost: round(billedQuantity * addition.unitCost),
    prorateCurrentPeriodFlag: addition.prorateCurrentPeriodFlag,
    proratePrice: prorate.proratePrice,
    prorateCost: prorate.prorateCost,
    extendedProratePrice: round(prorate.proratePrice * billedQuantity),
    extendedProrateCost: round(prorate.prorateCost * billedQuantity),
    agreementId: addition.agreementId,
    agreementStatus: agreement?.agreementStatus ?? null,
    _info: { lastUpdated: addition.lastUpdated, dateEntered: addition.dateEntered },
  };
}
