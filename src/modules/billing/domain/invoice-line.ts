import { profilesBySku, quantityRuleLabel, resolveProfile, termLabel, type BillingProfile } from './billing-profile';
import { lineAmount, sum, unitPriceOf, withMarkup, ZERO, type Amount } from './money';

// One product of one customer tenant as billing sees it (from licensing, through BillableLicences).
export interface BillableLicence {
  tenantId: string;
  skuId: string;
  productName: string;
  purchased: number;
  assigned: number;
  // Of the Partner Center subscription(s) for the SKU; null when no subscription names it or they differ.
  termDuration: string | null;
  billingCycle: string | null;
  // The partner's cost per seat when Partner Center says it; null: unknown.
  unitCost: Amount | null;
  // false: the customer bought these seats from someone else (they are not yours to bill).
  soldByYou: boolean;
  // An exclusion of the reconciliation covers it (the partner said to leave it out).
  excluded: boolean;
}

// billable: on the invoice. non-billable / no-charge: shown with amount 0 and not invoiced. not-mapped: no profile
// (never billed at 0: someone has to map it). no-price: mapped at cost-plus but the cost is unknown. not-sold-by-you /
// excluded: shown apart, never invoiced.
export type LineStatus = 'billable' | 'non-billable' | 'no-charge' | 'not-mapped' | 'no-price' | 'not-sold-by-you' | 'excluded';

export interface InvoiceLine {
  tenantId: string;
  skuId: string;
  // Stable per tenant: the approved invoice and the approvals refer to it.
  lineKey: string;
  microsoftProduct: string;
  productName: string;
  productCode: string | null;
  profileId: string | null;
  profileScope: 'default' | 'customer' | null;
  termDuration: string | null;
  billingCycle: string | null;
  purchased: number;
  assigned: number;
  quantity: number;
  unitPrice: Amount | null;
  amount: Amount | null;
  status: LineStatus;
  // Why this quantity (and price), in words: "12 purchased seats, less 2 included".
  why: string;
}

export function lineKeyOf(skuId: string): string {
  return skuId.toLowerCase();
}

// The quantity a rule bills: the seat count it reads, at least the minimum, less the included seats (never below 0).
export function billedQuantity(
  profile: Pick<BillingProfile, 'quantityRule' | 'includedQuantity' | 'minimumQuantity'>,
  seats: { purchased: number; assigned: number },
): { quantity: number; why: string } {
  const base = profile.quantityRule === 'purchased' ? seats.purchased : seats.assigned;
  const parts = [`${base} ${profile.quantityRule === 'purchased' ? 'purchased' : 'assigned'} seat${base === 1 ? '' : 's'}`];
  let counted = base;
  if (profile.minimumQuantity > 0 && base < profile.minimumQuantity) {
    counted = profile.minimumQuantity;
    parts.push(`raised to the minimum of ${profile.minimumQuantity}`);
  }
  let quantity = counted;
  if (profile.includedQuantity > 0) {
    quantity = Math.max(0, counted - profile.includedQuantity);
    parts.push(`less ${profile.includedQuantity} included`);
  }
  return { quantity, why: `${parts.join(', ')} (${quantityRuleLabel(profile.quantityRule).toLowerCase()})` };
}

export function unitPriceFor(
  profile: BillingProfile,
  licence: Pick<BillableLicence, 'unitCost'>,
): { unitPrice: Amount | null; why: string } {
  if (profile.priceKind === 'fixed')
    return { unitPrice: profile.unitPrice === null ? null : unitPriceOf(profile.unitPrice), why: 'fixed price' };
  const cost = licence.unitCost ?? profile.unitCost;
  if (cost === null || profile.markupPercent === null) return { unitPrice: null, why: 'cost unknown' };
  const sign = profile.markupPercent.isNegative() ? '−' : '+';
  return {
    unitPrice: withMarkup(cost, profile.markupPercent),
    why: `cost ${cost.toFixed(2)} ${sign} ${profile.markupPercent.abs().toString()} %${licence.unitCost ? '' : ' (your cost)'}`,
  };
}

// The price of a profile when the licence brings no cost of its own (so far every licence): worked out once per
// profile, not once per line (the same decimals; decimals are immutable, so the lines may share them).
const profilePrices = new WeakMap<BillingProfile, { unitPrice: Amount | null; why: string }>();
function unitPriceOfProfile(profile: BillingProfile): { unitPrice: Amount | null; why: string } {
  let price = profilePrices.get(profile);
  if (!price) {
    price = unitPriceFor(profile, { unitCost: null });
    profilePrices.set(profile, price);
  }
  return price;
}

export function invoiceLine(licence: BillableLicence, profile: BillingProfile | null): InvoiceLine {
  // Every line is built as one object of the same shape (no spreads): 40,000 of them make an organization's preview.
  const line = (
    product: Pick<InvoiceLine, 'productName' | 'productCode' | 'profileId' | 'profileScope'>,
    quantity: number,
    unitPrice: Amount | null,
    amount: Amount | null,
    status: LineStatus,
    why: string,
  ): InvoiceLine => ({
    tenantId: licence.tenantId,
    skuId: licence.skuId,
    lineKey: lineKeyOf(licence.skuId),
    microsoftProduct: licence.productName,
    productName: product.productName,
    productCode: product.productCode,
    profileId: product.profileId,
    profileScope: product.profileScope,
    termDuration: licence.termDuration,
    billingCycle: licence.billingCycle,
    purchased: licence.purchased,
    assigned: licence.assigned,
    quantity,
    unitPrice,
    amount,
    status,
    why,
  });
  const seats = `${licence.purchased} purchased, ${licence.assigned} assigned`;
  if (!licence.soldByYou) return line(unbilled(profile), 0, null, null, 'not-sold-by-you', `Sold by another partner (${seats})`);
  if (licence.excluded) return line(unbilled(profile), 0, null, null, 'excluded', `Excluded in the reconciliation (${seats})`);
  if (!profile)
    return line(unbilled(null), 0, null, null, 'not-mapped', `No billing profile for this product${termText(licence)} (${seats})`);
  const { quantity, why } = billedQuantity(profile, licence);
  const product = {
    productName: profile.productName,
    productCode: profile.productCode || null,
    profileId: profile.id,
    profileScope: scopeOf(profile),
  };
  if (profile.charge !== 'billable')
    return line(product, quantity, ZERO, ZERO, profile.charge, `${why}; ${profile.charge === 'no-charge' ? 'no charge' : 'not billed'}`);
  const price = licence.unitCost === null ? unitPriceOfProfile(profile) : unitPriceFor(profile, licence);
  if (price.unitPrice === null)
    return line(product, quantity, null, null, 'no-price', `${why}; ${price.why}: give the cost in the profile`);
  return line(product, quantity, price.unitPrice, lineAmount(price.unitPrice, quantity), 'billable', `${why}; ${price.why}`);
}

// Lines of many tenants at once (the all-tenants preview, 10,000 tenants and more): profiles indexed by SKU once.
export function invoiceLines(licences: readonly BillableLicence[], profiles: readonly BillingProfile[]): InvoiceLine[] {
  const bySku = profilesBySku(profiles);
  return licences.map((licence) => invoiceLine(licence, resolveProfile(bySku.get(licence.skuId.toLowerCase()) ?? [], licence)));
}

// What goes on the invoice: billable lines only; the rest is shown apart.
export function invoiceTotal(lines: readonly Pick<InvoiceLine, 'status' | 'amount'>[]): Amount {
  return sum(lines.filter((l) => l.status === 'billable' && l.amount !== null).map((l) => l.amount!));
}

export function isShownApart(line: Pick<InvoiceLine, 'status'>): boolean {
  return line.status === 'not-sold-by-you' || line.status === 'excluded';
}

function unbilled(profile: BillingProfile | null): Pick<InvoiceLine, 'productName' | 'productCode' | 'profileId' | 'profileScope'> {
  return {
    productName: profile?.productName ?? '',
    productCode: profile?.productCode || null,
    profileId: profile?.id ?? null,
    profileScope: profile ? scopeOf(profile) : null,
  };
}

function scopeOf(profile: BillingProfile): 'default' | 'customer' {
  return profile.tenantId === null ? 'default' : 'customer';
}

function termText(licence: BillableLicence): string {
  return licence.termDuration
    ? ` (${termLabel(licence.termDuration)}${licence.billingCycle ? `, billed ${licence.billingCycle}` : ''})`
    : '';
}
