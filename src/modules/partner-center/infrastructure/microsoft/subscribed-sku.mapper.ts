import type { PartnerCenterSubscribedSku } from '../../../../../libs/microsoft/src';
import type { SkuLicenceSnapshot } from '../../contracts/partner-center-directory';
import { count, lowerGuidOrText, text, UnexpectedWireShapeError } from './wire-value.mapper';
import { isGuid } from '../../../../shared/domain/guid';

export function toSkuLicenceSnapshot(subscribed: PartnerCenterSubscribedSku): SkuLicenceSnapshot {
  const sku = subscribed.productSku as PartnerCenterSubscribedSku['productSku'] | undefined;
  // Lower case: the same SKU is matched against Graph's skuId and the SKU catalogue (FACTS.md §3.2).
  const skuId = lowerGuidOrText(sku?.id);
  if (!skuId) throw new UnexpectedWireShapeError('a licence has no SKU id');
  const name = text(sku?.name);
  const warningUnits = count(subscribed.warningUnits);
  return {
    skuId,
    skuPartNumber: text(sku?.skuPartNumber) ?? '',
    // A bare GUID in `name` is an id, not a product name (never shown to people): the catalogue names it.
    productName: name && !isGuid(name) ? name : null,
    // Absent means Partner Center did not say; "Unknown" is never mistaken for "Enabled".
    capabilityStatus: text(subscribed.capabilityStatus) ?? 'Unknown',
    // totalUnits = activeUnits + warningUnits (FACTS.md §2.7): active units are recovered from the total when
    // only the total came; otherwise missing counts are 0.
    activeUnits:
      subscribed.activeUnits === undefined && subscribed.totalUnits !== undefined
        ? Math.max(0, count(subscribed.totalUnits) - warningUnits)
        : count(subscribed.activeUnits),
    warningUnits,
    suspendedUnits: count(subscribed.suspendedUnits),
    // Can exceed active units (over-assigned tenants): kept as Partner Center says, never clamped.
    consumedUnits: count(subscribed.consumedUnits),
  };
}
