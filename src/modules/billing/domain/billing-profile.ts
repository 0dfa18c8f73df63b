import { isGuid } from '../../../shared/domain/guid';
import { InvalidBillingInputError } from './billing.errors';
import { isDecimalText, money, type Amount } from './money';

// How a Microsoft product (SKU, optionally one term + billing cycle) is sold by the partner: its own product name
// and code, the price and which seat count is billed. An organization default applies to every customer; a
// customer tenant's override wins over it.
export const QUANTITY_RULES = ['purchased', 'assigned', 'assigned-or-minimum'] as const;
export type QuantityRule = (typeof QUANTITY_RULES)[number];

export const CHARGE_KINDS = ['billable', 'non-billable', 'no-charge'] as const;
export type ChargeKind = (typeof CHARGE_KINDS)[number];

export const PRICE_KINDS = ['fixed', 'cost-plus'] as const;
export type PriceKind = (typeof PRICE_KINDS)[number];

export interface BillingProfile {
  id: string;
  // null: the organization's default for the SKU; a tenant id: that customer's override.
  tenantId: string | null;
  skuId: string;
  // Partner Center's termDuration (P1M, P1Y, P3Y) and billingCycle (monthly, annual…); null: any.
  termDuration: string | null;
  billingCycle: string | null;
  productName: string;
  productCode: string;
  priceKind: PriceKind;
  // fixed: the price per seat. cost-plus: null.
  unitPrice: Amount | null;
  // cost-plus: the markup (negative for a discount) on the cost, and the cost the partner pays when Partner Center
  // does not say it (Sync 365 reads no price list yet).
  markupPercent: Amount | null;
  unitCost: Amount | null;
  charge: ChargeKind;
  quantityRule: QuantityRule;
  includedQuantity: number;
  minimumQuantity: number;
}

export interface ProfileInput {
  tenantId?: string | null;
  skuId?: string;
  termDuration?: string | null;
  billingCycle?: string | null;
  productName?: string;
  productCode?: string;
  priceKind?: string;
  unitPrice?: string | null;
  markupPercent?: string | null;
  unitCost?: string | null;
  charge?: string;
  quantityRule?: string;
  includedQuantity?: number | string | null;
  minimumQuantity?: number | string | null;
}

const TERM = /^P\d+[MY]$/;

// A profile from what a person typed or a partner system sent: every problem named with its field.
export function billingProfile(id: string, input: ProfileInput): BillingProfile {
  const skuId = (input.skuId ?? '').trim().toLowerCase();
  if (!isGuid(skuId))
    throw new InvalidBillingInputError('Choose the Microsoft product (its SKU id).', 'Pick a product from the list.', 'skuId');
  const tenantId = blankToNull(input.tenantId)?.toLowerCase() ?? null;
  if (tenantId !== null && !isGuid(tenantId))
    throw new InvalidBillingInputError(
      'The customer tenant id is not a GUID.',
      'Pick the customer from the list, or leave it empty for the default.',
      'tenantId',
    );
  const termDuration = blankToNull(input.termDuration)?.toUpperCase() ?? null;
  if (termDuration !== null && !TERM.test(termDuration))
    throw new InvalidBillingInputError(
      'The term must be like P1M, P1Y or P3Y.',
      'Pick a term, or leave it empty for every term.',
      'termDuration',
    );
  const billingCycle = blankToNull(input.billingCycle)?.toLowerCase() ?? null;
  if (billingCycle !== null && !/^[a-z]{3,20}$/.test(billingCycle))
    throw new InvalidBillingInputError(
      'The billing cycle must be a word such as monthly or annual.',
      'Pick a billing cycle, or leave it empty for every cycle.',
      'billingCycle',
    );
  const productName = (input.productName ?? '').trim();
  if (productName.length === 0 || productName.length > 200)
    throw new InvalidBillingInputError(
      'Give the name of your product (1 to 200 characters).',
      'Use the name your invoices show.',
      'productName',
    );
  const productCode = (input.productCode ?? '').trim();
  if (productCode.length > 100)
    throw new InvalidBillingInputError('The product code is longer than 100 characters.', 'Shorten it.', 'productCode');
  const priceKind = oneOf(input.priceKind ?? 'fixed', PRICE_KINDS, 'priceKind', 'How the price is set must be fixed or cost-plus.');
  const charge = oneOf(input.charge ?? 'billable', CHARGE_KINDS, 'charge', 'Billable must be billable, non-billable or no-charge.');
  const quantityRule = oneOf(
    input.quantityRule ?? 'purchased',
    QUANTITY_RULES,
    'quantityRule',
    'The quantity billed must be purchased, assigned or assigned-or-minimum.',
  );
  const unitPrice = decimal(input.unitPrice, 'unitPrice', 'The unit price');
  const markupPercent = decimal(input.markupPercent, 'markupPercent', 'The markup');
  const unitCost = decimal(input.unitCost, 'unitCost', 'The cost');
  if (unitPrice?.isNegative())
    throw new InvalidBillingInputError('The unit price cannot be negative.', 'Use "no charge" for a free product.', 'unitPrice');
  if (unitCost?.isNegative())
    throw new InvalidBillingInputError('The cost cannot be negative.', 'Give the price you pay per seat.', 'unitCost');
  if (priceKind === 'fixed' && unitPrice === null && charge === 'billable')
    throw new InvalidBillingInputError(
      'Give the unit price.',
      'A billable product needs its price per seat (or choose cost-plus).',
      'unitPrice',
    );
  if (priceKind === 'cost-plus' && markupPercent === null)
    throw new InvalidBillingInputError(
      'Give the markup in percent (negative for a discount).',
      'For example 15 for cost + 15 %.',
      'markupPercent',
    );
  if (markupPercent !== null && markupPercent.lessThanOrEqualTo(-100))
    throw new InvalidBillingInputError(
      'A discount of 100 % or more is not a price.',
      'Use "no charge" for a free product.',
      'markupPercent',
    );
  const includedQuantity = count(input.includedQuantity, 'includedQuantity', 'The included quantity');
  const minimumQuantity = count(input.minimumQuantity, 'minimumQuantity', 'The minimum quantity');
  return {
    id,
    tenantId,
    skuId,
    termDuration,
    billingCycle,
    productName,
    productCode,
    priceKind,
    unitPrice: priceKind === 'fixed' ? unitPrice : null,
    markupPercent: priceKind === 'cost-plus' ? markupPercent : null,
    unitCost: priceKind === 'cost-plus' ? unitCost : null,
    charge,
    quantityRule,
    includedQuantity,
    minimumQuantity,
  };
}

// What a licence line is matched by.
export interface ProfileTarget {
  tenantId: string;
  skuId: string;
  termDuration: string | null;
  billingCycle: string | null;
}

// The most specific profile wins: a customer's override over the organization default, then one naming the term
// and the billing cycle over one naming one of them over one naming neither. A profile naming a term matches only
// lines of that term (a line whose term is unknown matches only profiles for any term).
export function resolveProfile(profiles: readonly BillingProfile[], target: ProfileTarget): BillingProfile | null {
  let best: BillingProfile | null = null;
  let bestScore = -1;
  for (const profile of profiles) {
    if (profile.skuId !== target.skuId.toLowerCase()) continue;
    if (profile.tenantId !== null && profile.tenantId !== target.tenantId.toLowerCase()) continue;
    if (profile.termDuration !== null && profile.termDuration !== target.termDuration?.toUpperCase()) continue;
    if (profile.billingCycle !== null && profile.billingCycle !== target.billingCycle?.toLowerCase()) continue;
    const score = (profile.tenantId !== null ? 4 : 0) + (profile.termDuration !== null ? 2 : 0) + (profile.billingCycle !== null ? 1 : 0);
    if (score > bestScore) {
      best = profile;
      bestScore = score;
    }
  }
  return best;
}

// An index of profiles by SKU, so the preview of thousands of tenants looks at a handful of profiles per line.
export function profilesBySku(profiles: readonly BillingProfile[]): Map<string, BillingProfile[]> {
  const bySku = new Map<string, BillingProfile[]>();
  for (const profile of profiles) bySku.set(profile.skuId, [...(bySku.get(profile.skuId) ?? []), profile]);
  return bySku;
}

export function termLabel(term: string | null): string {
  if (term === null) return 'any term';
  const match = /^P(\d+)([MY])$/.exec(term);
  if (!match) return term;
  const n = Number(match[1]);
  return `${n} ${match[2] === 'M' ? 'month' : 'year'}${n === 1 ? '' : 's'}`;
}

export function quantityRuleLabel(rule: QuantityRule): string {
  return rule === 'purchased' ? 'Purchased seats' : rule === 'assigned' ? 'Assigned seats' : 'Assigned seats, at least the minimum';
}

export function chargeLabel(charge: ChargeKind): string {
  return charge === 'billable' ? 'Billable' : charge === 'non-billable' ? 'Non-billable' : 'No charge';
}

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function oneOf<V extends string>(value: string, values: readonly V[], field: string, message: string): V {
  const v = value.trim().toLowerCase();
  if (!(values as readonly string[]).includes(v))
    throw new InvalidBillingInputError(message, `Choose one of: ${values.join(', ')}.`, field);
  return v as V;
}

function decimal(value: string | null | undefined, field: string, what: string): Amount | null {
  const text = blankToNull(value);
  if (text === null) return null;
  if (!isDecimalText(text))
    throw new InvalidBillingInputError(
      `${what} must be a number with at most 4 decimals, such as 12.50.`,
      'Use a dot for decimals and no currency sign.',
      field,
    );
  return money(text);
}

function count(value: number | string | null | undefined, field: string, what: string): number {
  if (value === null || value === undefined || value === '') return 0;
  const n = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 0 || n > 1_000_000)
    throw new InvalidBillingInputError(`${what} must be a whole number of seats (0 or more).`, 'Leave it at 0 for none.', field);
  return n;
}
