import PDFDocument from 'pdfkit';
import type { Snapshot, SnapshotLine } from '../../application/ports/billing.repository';
import { formatMoney, priceText, sum } from '../../domain/money';
import { periodLabel } from '../../domain/period';
import { STATUS_LABELS } from './billing.view-model';
import type { LineStatus } from '../../domain/invoice-line';

// A month-end snapshot as a PDF (A4 landscape, pdfkit's built-in Helvetica): per company, its lines and subtotal,
// then the grand total. Lines that are not invoiced are listed with their status, without an amount.
export function snapshotPdf(
  snapshot: Snapshot,
  lines: readonly SnapshotLine[],
  organizationName: string,
  frozenAtWords: string,
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 36,
    info: { Title: `Billing snapshot ${snapshot.period}`, Author: 'Sync 365' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const columns = [
    { title: 'Product', width: 250, align: 'left' as const },
    { title: 'Status', width: 110, align: 'left' as const },
    { title: 'Purchased', width: 60, align: 'right' as const },
    { title: 'Assigned', width: 60, align: 'right' as const },
    { title: 'Quantity', width: 60, align: 'right' as const },
    { title: 'Unit price', width: 90, align: 'right' as const },
    { title: 'Amount', width: 120, align: 'right' as const },
  ];
  const row = (values: string[], bold = false) => {
    if (doc.y > doc.page.height - 60) doc.addPage();
    const y = doc.y;
    let x = doc.page.margins.left;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    let height = 0;
    values.forEach((value, i) => {
      doc.text(value, x, y, { width: columns[i].width - 6, align: columns[i].align });
      height = Math.max(height, doc.y - y);
      x += columns[i].width;
    });
    doc.x = doc.page.margins.left;
    doc.y = y + height + 3;
  };
  doc
    .font('Helvetica-Bold')
    .fontSize(16)
    .text(`Billing snapshot — ${periodLabel(snapshot.period)}`);
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(`${organizationName} · frozen ${frozenAtWords} by ${snapshot.frozenByName} · amounts in ${snapshot.currency}`);
  doc.moveDown();
  const byCompany = new Map<string, SnapshotLine[]>();
  for (const line of lines) {
    const key = `${line.companyName}|${line.tenantId}`;
    byCompany.set(key, [...(byCompany.get(key) ?? []), line]);
  }
  for (const companyLines of byCompany.values()) {
    const first = companyLines[0];
    if (doc.y > doc.page.height - 100) doc.addPage();
    doc
      .font('Helvetica-Bold')
      .fontSize(11)
      .text(`${first.companyName}${first.accountName ? ` — account ${first.accountName}` : ''}`);
    row(
      columns.map((c) => c.title),
      true,
    );
    for (const line of companyLines) {
      row([
        line.productName ? `${line.productName}${line.productCode ? ` (${line.productCode})` : ''}` : line.microsoftProduct,
        STATUS_LABELS[line.status as LineStatus]?.label ?? line.status,
        String(line.purchased),
        String(line.assigned),
        String(line.quantity),
        line.unitPrice ? priceText(line.unitPrice) : '—',
        line.amount ? formatMoney(line.amount, snapshot.currency) : '—',
      ]);
    }
    const subtotal = sum(companyLines.filter((l) => l.amount !== null).map((l) => l.amount!));
    row(['Subtotal', '', '', '', '', '', formatMoney(subtotal, snapshot.currency)], true);
    doc.moveDown(0.5);
  }
  if (lines.length === 0) doc.font('Helvetica').fontSize(10).text('No lines: no customer had a licence when this month was frozen.');
  doc.moveDown();
  doc
    .font('Helvetica-Bold')
    .fontSize(12)
    .text(`Total: ${formatMoney(snapshot.total, snapshot.currency)}`);
  doc.end();
  return done;
}
