import { FixedClock, ImmediateTransaction } from '../../../shared/testing/fakes';
import { money } from '../domain/money';
import { BILLING_APPROVAL_NEEDED, BILLING_PREVIEW_CHANGED } from '../events';
import {
  FakeBillableLicences,
  InMemoryBillingRepository,
  RecordingAuditTrail,
  RecordingOutbox,
} from '../infrastructure/testing/in-memory-billing';
import { CompanyMappingUseCase } from './company-mapping.use-case';
import { DecideApprovalUseCase } from './decide-approval.use-case';
import { FreezeSnapshotUseCase } from './freeze-snapshot.use-case';
import { InvoicePreviewQueries } from './invoice-preview.queries';
import { ManageBillingUseCase } from './manage-billing.use-case';
import { RecomputeBillingUseCase } from './recompute-billing.use-case';
import { type ActingParty } from '../../../shared/application/actor';

const ORG = '11111111-1111-4111-8111-111111111111';
const OTHER_ORG = '22222222-2222-4222-8222-222222222222';
const ADATUM = '3f2a6f43-7f6b-4a5c-9a3e-0c1f1b2d3e4f';
const COHO = '9b1c0d2e-3f40-4a51-8b62-7c83d94ea5f6';
const E3 = '05e9a617-0261-4cee-bb44-138d3ef5d965';
const VISIO = 'c5928f49-12ba-48f7-ada3-0d743a3601d5';
const ALICE: ActingParty = { organizationId: ORG, userId: 'u1', name: 'Alice Admin' };

function setUp() {
  const clock = new FixedClock(new Date('2026-12-07T10:00:00Z'));
  const repository = new InMemoryBillingRepository();
  const licences = new FakeBillableLicences();
  const outbox = new RecordingOutbox();
  const audit = new RecordingAuditTrail();
  const transaction = new ImmediateTransaction();
  const preview = new InvoicePreviewQueries(licences, repository, clock);
  const recompute = new RecomputeBillingUseCase(preview, repository, outbox, audit, transaction, clock);
  const manage = new ManageBillingUseCase(repository, licences, recompute, audit, transaction, clock);
  const decide = new DecideApprovalUseCase(repository, licences, audit, transaction, clock);
  const freeze = new FreezeSnapshotUseCase(preview, repository, licences, audit, transaction, clock);
  const mapping = new CompanyMappingUseCase(repository, licences, audit, transaction, clock);
  licences.customersList.push(
    { organizationId: ORG, tenantId: ADATUM, companyName: 'Adatum Corporation', domain: 'adatum.example' },
    { organizationId: ORG, tenantId: COHO, companyName: 'Coho Winery', domain: 'cohowinery.example' },
  );
  const licence = (
    tenantId: string,
    skuId: string,
    purchased: number,
    assigned: number,
    term: string | null = 'P1Y',
    cycle: string | null = 'monthly',
  ) => ({
    organizationId: ORG,
    tenantId,
    skuId,
    productName: skuId === E3 ? 'Microsoft 365 E3' : 'Visio Plan 2',
    purchased,
    assigned,
    termDuration: term,
    billingCycle: cycle,
    unitCost: null,
    soldByYou: true,
    excluded: false,
  });
  licences.licences.push(licence(ADATUM, E3, 12, 10), licence(ADATUM, VISIO, 2, 2), licence(COHO, E3, 5, 8, 'P1M'));
  return { clock, repository, licences, outbox, audit, preview, recompute, manage, decide, freeze, mapping, licence };
}

describe('billing use cases', () => {
  it('prices each customer by the most specific profile: a term-specific default, and a customer override', async () => {
    const { manage, preview } = setUp();
    await manage.saveProfile(ALICE, {
      skuId: E3,
      productName: 'Managed E3 (annual)',
      unitPrice: '33.00',
      termDuration: 'P1Y',
      billingCycle: 'monthly',
    });
    await manage.saveProfile(ALICE, { skuId: E3, productName: 'Managed E3 (monthly)', unitPrice: '39.60', quantityRule: 'assigned' });
    await manage.saveProfile(ALICE, {
      skuId: E3,
      tenantId: COHO,
      productName: 'Managed E3 (Coho rate)',
      unitPrice: '30.10',
      quantityRule: 'assigned-or-minimum',
      minimumQuantity: '10',
    });

    const adatum = await preview.tenant(ORG, ADATUM);
    expect(adatum.lines.map((l) => [l.productName || l.microsoftProduct, l.status, l.quantity, l.amount?.toFixed(2) ?? null])).toEqual([
      ['Managed E3 (annual)', 'billable', 12, '396.00'],
      ['Visio Plan 2', 'not-mapped', 0, null],
    ]);
    const coho = await preview.tenant(ORG, COHO);
    expect(coho.lines[0]).toMatchObject({ productName: 'Managed E3 (Coho rate)', quantity: 10, profileScope: 'customer' });
    expect(coho.lines[0].amount?.toFixed(2)).toBe('301.00');
    expect(coho.lines[0].why).toContain('8 assigned seats, raised to the minimum of 10');

    const all = await preview.organization(ORG);
    expect(all.total.toFixed(2)).toBe('697.00');
    expect(all.notMapped).toEqual([expect.objectContaining({ skuId: VISIO, tenants: 1, seats: 2 })]);
    expect(all.period).toBe('2027-01');
  });

  it('records the first preview as the approved invoice, then queues a decrease and applies an increase', async () => {
    const { manage, recompute, repository, licences, outbox, audit } = setUp();
    await manage.saveProfile(ALICE, { skuId: E3, productName: 'Managed E3', unitPrice: '36.00' });
    expect((await repository.settings(ORG)).baselineRecordedAt).not.toBeNull();
    expect((await repository.approvedLines(ORG)).map((l) => [l.tenantId, l.quantity, l.amount.toFixed(2)])).toEqual([
      [ADATUM, 12, '432.00'],
      [COHO, 5, '180.00'],
    ]);
    expect(audit.entries.map((e) => e.action)).toEqual(['billing.profile-created', 'billing.baseline-recorded']);

    licences.licences.find((l) => l.tenantId === ADATUM)!.purchased = 10;
    licences.licences.find((l) => l.tenantId === COHO)!.purchased = 6;
    const outcome = await recompute.execute(ORG);
    expect(outcome).toMatchObject({ applied: 1, queued: 1 });
    const [pending] = await repository.approvals(ORG, { status: 'pending' });
    expect(pending).toMatchObject({ tenantId: ADATUM, kind: 'decrease' });
    expect(pending.delta.toFixed(2)).toBe('-72.00');
    expect((await repository.approvedLines(ORG, COHO))[0].quantity).toBe(6);
    expect((await repository.approvedLines(ORG, ADATUM))[0].quantity).toBe(12);
    expect(outbox.events.map((e) => e.name)).toEqual(expect.arrayContaining([BILLING_APPROVAL_NEEDED, BILLING_PREVIEW_CHANGED]));
    expect(outbox.events.find((e) => e.name === BILLING_APPROVAL_NEEDED)?.payload).toMatchObject({
      tenantId: ADATUM,
      quantityBefore: 12,
      quantityAfter: 10,
      delta: '-72.00',
      currency: 'USD',
    });

    // Recomputing again asks nothing new.
    expect(await recompute.execute(ORG)).toMatchObject({ applied: 0, queued: 0, withdrawn: 0 });
  });

  it('puts the lines of a product a person just mapped on the invoice, but queues a new line that appears later', async () => {
    const { manage, recompute, repository, licences, licence } = setUp();
    await recompute.execute(ORG);
    expect((await repository.settings(ORG)).baselineRecordedAt).toBeNull();
    await manage.saveProfile(ALICE, { skuId: E3, productName: 'Managed E3', unitPrice: '36.00' });
    await manage.saveProfile(ALICE, { skuId: VISIO, productName: 'Visio', unitPrice: '12.00' });
    expect((await repository.approvedLines(ORG)).map((l) => l.skuId).sort()).toEqual([E3, E3, VISIO].sort());
    expect(await repository.approvals(ORG, { status: 'pending' })).toEqual([]);

    licences.licences.push(licence(COHO, VISIO, 1, 1));
    await recompute.execute(ORG);
    expect((await repository.approvals(ORG, { status: 'pending' })).map((a) => [a.tenantId, a.skuId, a.kind])).toEqual([
      [COHO, VISIO, 'new'],
    ]);
  });

  it('approves a decrease onto the invoice, audited with who; a rejected change is not asked again', async () => {
    const { manage, recompute, repository, licences, decide, audit } = setUp();
    await manage.saveProfile(ALICE, { skuId: E3, productName: 'Managed E3', unitPrice: '36.00' });
    licences.licences.find((l) => l.tenantId === ADATUM)!.purchased = 10;
    await recompute.execute(ORG);
    const [pending] = await repository.approvals(ORG, { status: 'pending' });

    const decided = await decide.execute(ALICE, pending.id, 'approve');
    expect(decided).toMatchObject({ status: 'approved', decidedByName: 'Alice Admin' });
    expect((await repository.approvedLines(ORG, ADATUM))[0].amount.toFixed(2)).toBe('360.00');
    expect(audit.entries.at(-1)).toMatchObject({
      action: 'billing.change-approved',
      actorName: 'Alice Admin',
      subject: 'Adatum Corporation: Managed E3',
    });
    await expect(decide.execute(ALICE, pending.id, 'reject')).rejects.toMatchObject({ code: 'BILLING.APPROVAL_NOT_FOUND' });

    licences.licences.find((l) => l.tenantId === ADATUM)!.purchased = 8;
    await recompute.execute(ORG);
    const [second] = await repository.approvals(ORG, { status: 'pending' });
    await decide.execute(ALICE, second.id, 'reject');
    expect(audit.entries.at(-1)?.action).toBe('billing.change-rejected');
    expect((await repository.approvedLines(ORG, ADATUM))[0].quantity).toBe(10);
    expect(await recompute.execute(ORG)).toMatchObject({ queued: 0 });
  });

  it('queues increases when they are not automatic, and lets changes within the threshold through', async () => {
    const { manage, recompute, repository, licences } = setUp();
    await manage.saveProfile(ALICE, { skuId: E3, productName: 'Managed E3', unitPrice: '36.00' });
    await manage.saveSettings(ALICE, { autoApproveIncreases: false, approvalThreshold: '40', currency: 'eur' });
    expect((await repository.settings(ORG)).currency).toBe('EUR');
    licences.licences.find((l) => l.tenantId === ADATUM)!.purchased = 14; // +72: waits
    licences.licences.find((l) => l.tenantId === COHO)!.purchased = 4; // −36: within 40
    await recompute.execute(ORG);
    expect((await repository.approvals(ORG, { status: 'pending' })).map((a) => [a.tenantId, a.kind])).toEqual([[ADATUM, 'increase']]);
    expect((await repository.approvedLines(ORG, COHO))[0].quantity).toBe(4);
    await expect(manage.saveSettings(ALICE, { approvalThreshold: '-1' })).rejects.toMatchObject({ field: 'approvalThreshold' });
    await expect(manage.saveSettings(ALICE, { currency: 'euro' })).rejects.toMatchObject({ field: 'currency' });
  });

  it('freezes a month once: freezing again returns the same snapshot, unchanged by later changes', async () => {
    const { manage, freeze, licences, clock } = setUp();
    await manage.saveProfile(ALICE, { skuId: E3, productName: 'Managed E3', unitPrice: '36.00' });
    const first = await freeze.execute(ALICE, ORG, '2026-12');
    expect(first.created).toBe(true);
    expect(first.snapshot.total.toFixed(2)).toBe('612.00');
    licences.licences.find((l) => l.tenantId === ADATUM)!.purchased = 40;
    clock.current = new Date('2026-12-31T10:00:00Z');
    const again = await freeze.execute(ALICE, ORG, '2026-12');
    expect(again.created).toBe(false);
    expect(again.snapshot.id).toBe(first.snapshot.id);
    expect(again.snapshot.total).toEqual(money('612'));
    await expect(freeze.execute(ALICE, ORG, '2027-02')).rejects.toMatchObject({ field: 'period' });
  });

  it('suggests a billing account by name and domain, which a person confirms', async () => {
    const { mapping, audit, licences } = setUp();
    const [adatum] = await mapping.list(ORG);
    expect(adatum.mapping).toMatchObject({ status: 'suggested', accountName: 'Adatum Corporation', accountCode: 'ADATUM' });
    await mapping.confirm(ALICE, ADATUM, { accountName: 'Adatum Corp.', accountCode: 'ADATUM' });
    licences.customersList.push({
      organizationId: ORG,
      tenantId: '5d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
      companyName: 'Adatum Corp',
      domain: 'adatumeu.example',
    });
    const rows = await mapping.list(ORG);
    expect(rows.find((r) => r.customer.companyName === 'Adatum Corp')?.mapping).toMatchObject({
      status: 'suggested',
      accountName: 'Adatum Corp.',
      suggestedBecause: 'Same name as the account Adatum Corp.',
    });
    expect(audit.entries.at(-1)).toMatchObject({ action: 'billing.mapping-confirmed', subject: 'Adatum Corporation' });
  });

  it('keeps organizations apart', async () => {
    const { manage, preview, repository } = setUp();
    await manage.saveProfile(ALICE, { skuId: E3, productName: 'Managed E3', unitPrice: '36.00' });
    expect(await repository.profiles(OTHER_ORG)).toEqual([]);
    await expect(preview.tenant(OTHER_ORG, ADATUM)).rejects.toMatchObject({ code: 'BILLING.TENANT_NOT_FOUND' });
    await expect(
      manage.saveProfile({ ...ALICE, organizationId: OTHER_ORG }, { skuId: E3, tenantId: ADATUM, productName: 'x', unitPrice: '1' }),
    ).rejects.toMatchObject({ field: 'tenantId' });
  });
});
