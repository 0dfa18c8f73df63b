import type { Actor } from '../../../shared/application/actor';
import { FixedClock, ImmediateTransaction } from '../../../shared/testing/fakes';
import { InvalidExclusionError } from '../domain';
import { fakeReconciliationQueries, InMemoryExclusions, RecordingAuditTrail } from '../infrastructure/testing/in-memory-exclusions';
import { ExclusionNotFoundError, ManageExclusionsUseCase } from './manage-exclusions.use-case';

const ADATUM = '0f8e2a6c-1111-4a5b-9c3d-000000000001';
const VISIO = 'c5928f49-12ba-48f7-ada3-0d743a3601d5';
const E3 = '05e9a617-0261-4cee-bb44-138d3ef5d965';

const actor: Actor = {
  userId: 'u-1',
  organizationId: 'org-a',
  displayName: 'Contoso Admin',
  userPrincipalName: 'admin@contoso.example',
  organizationName: 'Contoso',
  role: 'billing',
};
const otherActor: Actor = { ...actor, userId: 'u-2', organizationId: 'org-b', displayName: 'Fabrikam Admin' };

describe('adding and removing licensing exclusions', () => {
  let exclusions: InMemoryExclusions;
  let audit: RecordingAuditTrail;
  let useCase: ManageExclusionsUseCase;
  const now = new Date('2026-11-26T09:30:00Z');

  beforeEach(() => {
    exclusions = new InMemoryExclusions();
    audit = new RecordingAuditTrail();
    const queries = fakeReconciliationQueries({
      tenants: [
        { tenantId: ADATUM, companyName: 'Adatum Corporation', lastRunId: 'run-1', lastRunAt: now, read: true, failureReason: null },
      ],
      products: [
        { skuId: VISIO, skuPartNumber: 'VISIOCLIENT', productName: 'Visio Plan 2', free: false },
        { skuId: E3, skuPartNumber: 'SPE_E3', productName: 'Microsoft 365 E3', free: false },
      ],
    });
    useCase = new ManageExclusionsUseCase(exclusions, queries, audit, new ImmediateTransaction(), new FixedClock(now));
  });

  it('adds an exclusion of a product at a tenant with who added it and when, and audit logs it in words', async () => {
    const added = await useCase.execute({
      action: 'add',
      actor,
      tenantId: ADATUM,
      skuId: VISIO.toUpperCase(),
      rule: 'ignore',
      reason: ' Bought directly on purpose ',
    });
    expect(added).toMatchObject({
      tenantId: ADATUM,
      skuId: VISIO,
      rule: 'ignore',
      spare: null,
      reason: 'Bought directly on purpose',
      createdAt: now,
      createdByName: 'Contoso Admin',
    });
    expect(await exclusions.list('org-a')).toEqual([
      { id: added.id, tenantId: ADATUM, skuId: VISIO, rule: 'ignore', spare: null, reason: 'Bought directly on purpose' },
    ]);
    expect(audit.entries).toEqual([
      {
        organizationId: 'org-a',
        actorUserId: 'u-1',
        actorName: 'Contoso Admin',
        action: 'licensing.exclusion-added',
        subject: 'Visio Plan 2 at Adatum Corporation',
        outcome: 'success',
        detail: 'Ignore. Reason: Bought directly on purpose',
      },
    ]);
  });

  it('keeps spare seats of a product at every tenant', async () => {
    await useCase.execute({
      action: 'add',
      actor,
      skuId: E3,
      tenantId: '',
      rule: 'keep-spare',
      spare: 2,
      reason: 'Seats for new starters',
    });
    expect((await exclusions.list('org-a')).map((e) => [e.tenantId, e.skuId, e.rule, e.spare])).toEqual([[null, E3, 'keep-spare', 2]]);
    expect(audit.entries.map((e) => [e.subject, e.detail])).toEqual([
      ['Microsoft 365 E3 at every tenant', 'Keep 2 spare seats. Reason: Seats for new starters'],
    ]);
  });

  it.each([
    [
      'names neither a tenant nor a product',
      { tenantId: '', skuId: '', rule: 'ignore', reason: 'why not' },
      /must name a customer tenant, a product, or both/,
    ],
    [
      'keeps spare seats without a number',
      { tenantId: ADATUM, rule: 'keep-spare', spare: Number('two'), reason: 'new starters' },
      /whole number of seats/,
    ],
    ['gives no reason', { tenantId: ADATUM, rule: 'ignore', reason: '  ' }, /needs a reason/],
    [
      'names a tenant no run has read',
      { tenantId: '0f8e2a6c-1111-4a5b-9c3d-00000000ffff', rule: 'ignore', reason: 'x' },
      /not among the tenants the reconciliation has read/,
    ],
    ['names a tenant with an id that is no GUID', { tenantId: 'adatum', rule: 'ignore', reason: 'x' }, /not among the tenants/],
    [
      'names a product the latest runs do not hold',
      { skuId: 'f8a1db68-be16-40ed-86d5-cb42ce701560', rule: 'ignore', reason: 'x' },
      /not among the licences/,
    ],
  ])('refuses an exclusion that %s, storing and logging nothing', async (_, input, message) => {
    await expect(useCase.execute({ action: 'add', actor, ...input })).rejects.toThrow(message);
    await expect(useCase.execute({ action: 'add', actor, ...input })).rejects.toBeInstanceOf(InvalidExclusionError);
    expect(exclusions.rows.size).toBe(0);
    expect(audit.entries).toEqual([]);
  });

  it('refuses a second exclusion of the same kind for the same tenant and product', async () => {
    await useCase.execute({ action: 'add', actor, tenantId: ADATUM, rule: 'ignore', reason: 'Internal test tenant' });
    await expect(
      useCase.execute({ action: 'add', actor, tenantId: ADATUM.toUpperCase(), rule: 'ignore', reason: 'again' }),
    ).rejects.toThrow('There already is an exclusion for every product at Adatum Corporation with the rule “Ignore”.');
    // A different rule for the same scope is another decision.
    await useCase.execute({ action: 'add', actor, tenantId: ADATUM, rule: 'keep-spare', spare: 1, reason: 'One spare' });
    expect(exclusions.rows.size).toBe(2);
    expect(audit.entries).toHaveLength(2);
  });

  it('removes an exclusion once, audit logged with what it was and why it had been added', async () => {
    const added = await useCase.execute({
      action: 'add',
      actor,
      tenantId: ADATUM,
      skuId: E3,
      rule: 'keep-spare',
      spare: 3,
      reason: 'New starters in January',
    });
    const removed = await useCase.execute({ action: 'remove', actor, exclusionId: added.id });
    expect(removed.id).toBe(added.id);
    expect(exclusions.rows.size).toBe(0);
    expect(audit.entries.at(-1)).toEqual({
      organizationId: 'org-a',
      actorUserId: 'u-1',
      actorName: 'Contoso Admin',
      action: 'licensing.exclusion-removed',
      subject: 'Microsoft 365 E3 at Adatum Corporation',
      outcome: 'success',
      detail: 'Keep 3 spare seats. Reason given when it was added: New starters in January',
    });
    await expect(useCase.execute({ action: 'remove', actor, exclusionId: added.id })).rejects.toBeInstanceOf(ExclusionNotFoundError);
    expect(audit.entries).toHaveLength(2);
  });

  it("cannot remove another organization's exclusion", async () => {
    const added = await useCase.execute({ action: 'add', actor, tenantId: ADATUM, rule: 'ignore', reason: 'Internal test tenant' });
    await expect(useCase.execute({ action: 'remove', actor: otherActor, exclusionId: added.id })).rejects.toBeInstanceOf(
      ExclusionNotFoundError,
    );
    expect(await exclusions.find('org-a', added.id)).not.toBeNull();
    expect(audit.entries.map((e) => e.action)).toEqual(['licensing.exclusion-added']);
  });
});
