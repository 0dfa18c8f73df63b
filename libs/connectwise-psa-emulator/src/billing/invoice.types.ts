import type { Reference } from '../scenario/scenario';

// What a simulated invoice run produces (billing/invoice-run.ts).
export type InvoiceLineKind = 'recurring' | 'prorate' | 'one-time';

export interface InvoiceLine {
  additionId: number;
  product: Reference;
  description: string;
  kind: InvoiceLineKind;
  quantity: number; // billed quantity (quantity − lessIncluded)
  unitPrice: number;
  amount: number; // rounded to cents
  from: string; // YYYY-MM-DD, first day billed
  to: string; // YYYY-MM-DD, last day billed
  days?: number; // prorate: days billed
  periodDays?: number; // prorate: days in the period the fraction is of
}

export interface InvoiceRecord {
  id: number;
  invoiceNumber: string;
  type: 'Agreement';
  company: Reference;
  agreement: Reference;
  date: string;
  periodStart: string;
  periodEnd: string; // last day of the period billed in advance
  lines: InvoiceLine[];
  subtotal: number;
  total: number;
}

export interface InvoiceRun {
  invoiceDate: string; // YYYY-MM-DD
  invoices: InvoiceRecord[];
  total: number;
}
