import { idKey } from './directory-subscription';
import { skuKey } from './tenant-licence';

// What matching needs of each side; callers pass their own rows and get them back, paired.
export interface PartnerCenterSide {
  id: string;
}

export interface DirectorySide {
  commerceSubscriptionId: string | null;
  skuId: string;
  totalLicenses: number;
  // From Graph's ownerTenantId: whether your partner tenant sold it; null/absent when Graph did not say.
  soldByYou?: boolean | null;
}

export interface DirectoryMatch<P, D> {
  subscription: D;
  // The partner's Partner Center subscription it is (linked by commerceSubscriptionId); null: none of yours.
  partnerCenter: P | null;
  // Who sold it: Graph's ownerTenantId is the truth (FACTS.md §7a.6); the Partner Center match only when Graph did not say.
  soldByYou: boolean;
}

export interface PartnerCenterMatch<P, D> {
  subscription: P;
  // The directory subscriptions that name it: normally one; none when the customer's directory does not (yet)
  // show it, or has never been read.
  directory: D[];
  // Learnt from the directory (Partner Center's subscription carries no SKU id); null when nothing names it.
  skuId: string | null;
  // Licences the customer's directory shows for it; null when nothing names it.
  tenantUnits: number | null;
}

export interface SkuSale {
  skuId: string;
  // True when one of the SKU's directory subscriptions is the partner's; null when the directory was never read.
  soldByYou: boolean | null;
}

export interface SubscriptionMatching<P, D> {
  directory: DirectoryMatch<P, D>[];
  partnerCenter: PartnerCenterMatch<P, D>[];
  // Partner Center subscriptions no directory subscription names; null when the directory was never read.
  partnerCenterOnly: P[] | null;
  skus: SkuSale[];
}

// Pairs a tenant's Partner Center subscriptions with the subscriptions in its directory: Graph's
// commerceSubscriptionId is the Partner Center subscription id of what a partner sold. `directory` is null when
// the tenant's directory has never been read: then nothing is known to be, or not to be, sold by you.
export function matchSubscriptions<P extends PartnerCenterSide, D extends DirectorySide>(input: {
  partnerCenter: readonly P[];
  directory: readonly D[] | null;
  skuIds: readonly string[];
}): SubscriptionMatching<P, D> {
  const partnerCenterById = new Map(input.partnerCenter.map((subscription) => [idKey(subscription.id), subscription]));
  const directory = (input.directory ?? []).map((subscription) => {
    const partnerCenter =
      subscription.commerceSubscriptionId === null ? null : (partnerCenterById.get(idKey(subscription.commerceSubscriptionId)) ?? null);
    return { subscription, partnerCenter, soldByYou: subscription.soldByYou ?? partnerCenter !== null };
  });

  const partnerCenter = input.partnerCenter.map((subscription): PartnerCenterMatch<P, D> => {
    const naming = directory.filter((match) => match.partnerCenter === subscription).map((match) => match.subscription);
    return {
      subscription,
      directory: naming,
      skuId: naming.length > 0 ? skuKey(naming[0].skuId) : null,
      // Summed should Graph ever list one commerce subscription twice: the seats the directory has for it.
      tenantUnits: naming.length > 0 ? naming.reduce((sum, d) => sum + d.totalLicenses, 0) : null,
    };
  });

  const soldSkus = new Set(directory.filter((match) => match.soldByYou).map((match) => skuKey(match.subscription.skuId)));
  return {
    directory,
    partnerCenter,
    partnerCenterOnly:
      input.directory === null ? null : partnerCenter.filter((match) => match.directory.length === 0).map((match) => match.subscription),
    skus: input.skuIds.map((skuId) => ({ skuId, soldByYou: input.directory === null ? null : soldSkus.has(skuKey(skuId)) })),
  };
}
