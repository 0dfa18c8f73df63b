import { ExactDecimal, ROUND_HALF_UP } from '../../../shared/domain/decimal';

// Money is exact: amounts are decimal.js values in memory and PostgreSQL numeric in the database, never JS numbers
// (0.1 + 0.2 must stay 0.3 on an invoice). They travel as strings ("12.50") to pages, CSV and the API.
export type Amount = ExactDecimal;

// Unit prices keep 4 decimals (price lists quote fractions of a cent); invoice amounts are rounded to the cent per
// line, half up, as invoices are.
export const PRICE_DECIMALS = 4;
export const AMOUNT_DECIMALS = 2;

const DECIMAL_TEXT = /^-?\d{1,12}(\.\d{1,4})?$/;

export function isDecimalText(value: string): boolean {
  return DECIMAL_TEXT.test(value.trim());
}

// A decimal as a person or PostgreSQL writes it; throws on anything else (callers validate first).
export function money(value: string | number | Amount): Amount {
  if (typeof value === 'number' && !Number.isInteger(value))
    throw new Error('Money from a fractional JS number would be inexact; pass a string');
  return new ExactDecimal(value);
}

export const ZERO: Amount = new ExactDecimal(0);

export function unitPriceOf(value: Amount): Amount {
  return value.toDecimalPlaces(PRICE_DECIMALS, ROUND_HALF_UP);
}

export function lineAmount(unitPrice: Amount, quantity: number): Amount {
  return unitPrice.times(quantity).toDecimalPlaces(AMOUNT_DECIMALS, ROUND_HALF_UP);
}

// cost ± percent: 100.00 with 15 → 115.00, with -10 → 90.00.
export function withMarkup(cost: Amount, percent: Amount): Amount {
  return unitPriceOf(cost.times(percent.plus(100)).dividedBy(100));
}

export function sum(amounts: readonly Amount[]): Amount {
  return amounts.reduce<Amount>((total, amount) => total.plus(amount), ZERO);
}

// "1234.5" → "1234.50": fixed decimals for storage, CSV and the API.
export function amountText(value: Amount): string {
  return value.toFixed(AMOUNT_DECIMALS);
}

export function priceText(value: Amount): string {
  // A price shows its cents, and more decimals only when it has them (4.1250 → 4.125, 12 → 12.00).
  const fixed = value.toFixed(PRICE_DECIMALS).replace(/0{1,2}$/, '');
  return fixed;
}

// ISO 4217 code; the organization's one currency for every price and amount.
export function isCurrencyCode(value: string): boolean {
  return /^[A-Z]{3}$/.test(value);
}

// For pages and the PDF: "EUR 1,234.50" (grouping only; the code says the currency without guessing a symbol).
export function formatMoney(value: Amount, currency: string): string {
  const [whole, fraction] = value.toFixed(AMOUNT_DECIMALS).split('.');
  const negative = whole.startsWith('-');
  const digits = negative ? whole.slice(1) : whole;
  return `${negative ? '-' : ''}${currency} ${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}
