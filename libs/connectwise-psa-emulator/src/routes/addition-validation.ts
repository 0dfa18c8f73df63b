import type { FieldError } from '../http/cw-error';
import type { AdditionRecord, BillCustomer } from '../scenario/scenario';
import type { ConnectWiseEmulatorState } from '../state/emulator-state';

// What POST/PUT (and the result of a PATCH) must satisfy (FACTS §1: product and billCustomer required; billCustomer
// Billable/DoNotBill/NoCharge; invoiceDescription ≤ 6000, serialNumber ≤ 50). The sub-codes other than
// MissingRequiredField (CTC issue 30) are assumed.
const RESOURCE = 'agreementAddition';
export const INVALID_MESSAGE = `${RESOURCE} object is invalid`;
const BILL_CUSTOMER: BillCustomer[] = ['Billable', 'DoNotBill', 'NoCharge'];
const NUMBERS = ['quantity', 'lessIncluded', 'unitPrice', 'unitCost'] as const;
const DATES = ['effectiveDate', 'cancelledDate'] as const;
const FLAGS = ['taxableFlag', 'prorateCurrentPeriodFlag'] as const;
const TEXTS = [
  ['invoiceDescription', 6000],
  ['serialNumber', 50],
  ['description', 6000],
] as const;

export const PATCHABLE = new Set<string>(['product', 'billCustomer', ...NUMBERS, ...DATES, ...FLAGS, ...TEXTS.map(([name]) => name)]);

const fieldError = (code: string, field: string, message: string): FieldError => ({ code, message, resource: RESOURCE, field });

export type AdditionInput = Record<string, unknown>;

// Builds the record from a body (POST: over the defaults; PUT/PATCH: over the current record); errors when invalid.
export function buildAddition(
  state: ConnectWiseEmulatorState,
  agreementId: number,
  input: AdditionInput,
  base: AdditionRecord | undefined,
): { ok: true; record: AdditionRecord } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const productRef = input.product;
  let product = base ? state.catalog.find((item) => item.id === base.product.id) : undefined;
  if (productRef === undefined || productRef === null) {
    if (!base || input.product === null) errors.push(fieldError('MissingRequiredField', 'product', 'The product field is required.'));
  } else if (typeof productRef !== 'object' || Array.isArray(productRef)) {
    errors.push(fieldError('InvalidField', 'product', 'product must be an object with an id or identifier.'));
  } else {
    product = state.catalogItem(productRef as { id?: unknown; identifier?: unknown });
    if (!product) errors.push(fieldError('InvalidField', 'product', 'The product was not found in the product catalog.'));
    else if (product.inactiveFlag && product.id !== base?.product.id)
      errors.push(fieldError('InvalidField', 'product', `Product ${product.identifier} is inactive.`));
  }

  const billCustomer = input.billCustomer ?? base?.billCustomer;
  if (billCustomer === undefined || billCustomer === null)
    errors.push(fieldError('MissingRequiredField', 'billCustomer', 'The billCustomer field is required.'));
  else if (!BILL_CUSTOMER.includes(billCustomer as BillCustomer))
    errors.push(fieldError('InvalidField', 'billCustomer', `billCustomer must be one of ${BILL_CUSTOMER.join(', ')}.`));

  for (const name of NUMBERS) {
    const value = input[name];
    if (value !== undefined && value !== null && (typeof value !== 'number' || !Number.isFinite(value)))
      errors.push(fieldError('InvalidField', name, `${name} must be a number.`));
  }
  for (const name of DATES) {
    const value = input[name];
    if (value !== undefined && value !== null && (typeof value !== 'string' || Number.isNaN(Date.parse(value))))
      errors.push(fieldError('InvalidField', name, `${name} must be a date.`));
  }
  for (const name of FLAGS) {
    const value = input[name];
    if (value !== undefined && value !== null && typeof value !== 'boolean')
      errors.push(fieldError('InvalidField', name, `${name} must be true or false.`));
  }
  for (const [name, max] of TEXTS) {
    const value = input[name];
    if (value !== undefined && value !== null && typeof value !== 'string')
      errors.push(fieldError('InvalidField', name, `${name} must be text.`));
    else if (typeof value === 'string' && value.length > max)
      errors.push(fieldError('InvalidField', name, `${name} may not be longer than ${max} characters.`));
  }
  if (errors.length > 0 || !product) return { ok: false, errors };

  const now = new Date(state.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const pick = <K extends keyof AdditionRecord>(name: K, fallback: AdditionRecord[K]): AdditionRecord[K] =>
    input[name] === undefined ? fallback : (input[name] as AdditionRecord[K]);
  const today = `${now.slice(0, 10)}T00:00:00Z`;
  const record: AdditionRecord = {
    id: base?.id ?? 0,
    agreementId,
    product: { id: product.id, identifier: product.identifier, name: product.description },
    billCustomer: billCustomer as BillCustomer,
    quantity: pick('quantity', base?.quantity ?? 1) ?? 0,
    lessIncluded: pick('lessIncluded', base?.lessIncluded ?? 0) ?? 0,
    unitPrice: pick('unitPrice', base?.unitPrice ?? product.price) ?? product.price,
    unitCost: pick('unitCost', base?.unitCost ?? product.cost) ?? product.cost,
    // A new addition without an effectiveDate starts today (assumed).
    effectiveDate: normaliseDate(pick('effectiveDate', base ? base.effectiveDate : today)),
    cancelledDate: normaliseDate(pick('cancelledDate', base?.cancelledDate ?? null)),
    invoiceDescription: pick('invoiceDescription', base?.invoiceDescription ?? null),
    serialNumber: pick('serialNumber', base?.serialNumber ?? null),
    description: pick('description', base?.description ?? product.description) ?? product.description,
    taxableFlag: pick('taxableFlag', base?.taxableFlag ?? product.taxableFlag) ?? false,
    prorateCurrentPeriodFlag:
      pick('prorateCurrentPeriodFlag', base?.prorateCurrentPeriodFlag ?? state.agreement(agreementId)?.prorateFlag ?? false) ?? false,
    dateEntered: base?.dateEntered ?? now,
    lastUpdated: now,
  };
  if (record.effectiveDate && record.cancelledDate && Date.parse(record.cancelledDate) < Date.parse(record.effectiveDate)) {
    return { ok: false, errors: [fieldError('InvalidField', 'cancelledDate', 'cancelledDate may not be before effectiveDate.')] };
  }
  return { ok: true, record };
}

// ConnectWise stores date-times in UTC seconds: "2026-12-07" and "2026-12-07T00:00:00.000Z" both read back as
// "2026-12-07T00:00:00Z".
function normaliseDate(value: string | null): string | null {
  if (value === null || value === undefined) return null;
  return new Date(Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
