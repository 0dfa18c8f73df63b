import { DomainError } from '../../../shared/domain/domain-error';
import { exclusionApplies, ignoringExclusion, keepSpareExclusion, newExclusion, type NewExclusionInput } from './exclusions';
import { InvalidExclusionError } from './reconciliation.errors';
import { SKUS, TENANTS } from './testing/pictures';

const valid: NewExclusionInput = { id: 'x1', tenantId: TENANTS.adatum, skuId: null, rule: 'ignore', reason: 'Our own tenant' };

function refusal(input: NewExclusionInput): InvalidExclusionError {
  try {
    newExclusion(input);
  } catch (error) {
    if (error instanceof InvalidExclusionError) return error;
    throw error;
  }
  throw new Error('the exclusion was accepted');
}

describe('a new exclusion', () => {
  it('keeps its scope and reason, with the SKU id in lower case and blanks meaning "every"', () => {
    expect(
      newExclusion({ id: ' x9 ', tenantId: '', skuId: SKUS.visio.toUpperCase(), rule: 'keep-spare', spare: 2, reason: '  new starters ' }),
    ).toEqual({
      id: 'x9',
      tenantId: null,
      skuId: SKUS.visio,
      rule: 'keep-spare',
      spare: 2,
      reason: 'new starters',
    });
    expect(newExclusion(valid)).toEqual({
      id: 'x1',
      tenantId: TENANTS.adatum,
      skuId: null,
      rule: 'ignore',
      spare: null,
      reason: 'Our own tenant',
    });
  });

  it('is refused with a stable code when it names neither a tenant nor a SKU', () => {
    const error = refusal({ ...valid, tenantId: null, skuId: '  ' });
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('LICENSING.INVALID_EXCLUSION');
    expect(error.message).toBe('An exclusion must name a customer tenant, a product, or both.');
    expect(error.fix).toBeDefined();
  });

  it('is refused when keeping spare seats without a whole number of at least 1', () => {
    for (const spare of [null, 0, -1, 1.5, Number.NaN]) {
      expect(refusal({ ...valid, rule: 'keep-spare', spare }).message).toBe(
        'Keeping spare seats needs a whole number of seats, at least 1.',
      );
    }
  });

  it('is refused when ignoring with a number of spare seats, with an unknown rule, or without a reason', () => {
    expect(refusal({ ...valid, spare: 2 }).code).toBe('LICENSING.INVALID_EXCLUSION');
    expect(refusal({ ...valid, rule: 'silence' }).message).toBe('“silence” is not a kind of exclusion.');
    expect(refusal({ ...valid, reason: '   ' }).message).toBe('An exclusion needs a reason.');
    expect(refusal({ ...valid, id: '' }).message).toBe('An exclusion needs an id.');
  });
});

describe('which exclusions apply', () => {
  const everyTenant = newExclusion({ id: 'sku-everywhere', skuId: SKUS.e3, rule: 'keep-spare', spare: 5, reason: 'buffer' });
  const tenantWide = newExclusion({ id: 'tenant-wide', tenantId: TENANTS.adatum, rule: 'keep-spare', spare: 3, reason: 'buffer' });
  const exact = newExclusion({
    id: 'exact',
    tenantId: TENANTS.adatum,
    skuId: SKUS.e3,
    rule: 'keep-spare',
    spare: 1,
    reason: 'small office',
  });

  it('matches by tenant and SKU, a missing side meaning every one, whatever the case of the ids', () => {
    expect(exclusionApplies(everyTenant, TENANTS.fabrikam, SKUS.e3.toUpperCase())).toBe(true);
    expect(exclusionApplies(everyTenant, TENANTS.fabrikam, SKUS.visio)).toBe(false);
    expect(exclusionApplies(everyTenant, TENANTS.fabrikam, null)).toBe(false);
    expect(exclusionApplies(tenantWide, TENANTS.adatum.toUpperCase(), null)).toBe(true);
    expect(exclusionApplies(tenantWide, TENANTS.fabrikam, SKUS.e3)).toBe(false);
  });

  it('lets the tenant-and-SKU exclusion win over the tenant-wide one, and that over the SKU at every tenant', () => {
    expect(keepSpareExclusion([everyTenant, tenantWide, exact], TENANTS.adatum, SKUS.e3)?.id).toBe('exact');
    expect(keepSpareExclusion([everyTenant, tenantWide], TENANTS.adatum, SKUS.e3)?.id).toBe('tenant-wide');
    expect(keepSpareExclusion([everyTenant, tenantWide], TENANTS.fabrikam, SKUS.e3)?.id).toBe('sku-everywhere');
    expect(keepSpareExclusion([everyTenant], TENANTS.fabrikam, SKUS.visio)).toBeNull();
  });

  it('keeps the larger number of spare seats between two exclusions of the same scope', () => {
    const more = newExclusion({ id: 'more', tenantId: TENANTS.adatum, skuId: SKUS.e3, rule: 'keep-spare', spare: 4, reason: 'growth' });
    expect(keepSpareExclusion([exact, more], TENANTS.adatum, SKUS.e3)?.id).toBe('more');
  });

  it('tells ignore and keep-spare exclusions apart', () => {
    const ignore = newExclusion({ id: 'ignore', tenantId: TENANTS.adatum, rule: 'ignore', reason: 'internal' });
    expect(ignoringExclusion([exact, ignore], TENANTS.adatum, SKUS.e3)?.id).toBe('ignore');
    expect(ignoringExclusion([exact], TENANTS.adatum, SKUS.e3)).toBeNull();
    expect(keepSpareExclusion([ignore], TENANTS.adatum, SKUS.e3)).toBeNull();
  });
});
