// Which PSA company, agreement (ConnectWise) or contract (Autotask) each customer tenant bills through, and which PSA
// product (ConnectWise catalog item) or service (Autotask) each billing product is. Sync 365 suggests, a person
// confirms: only confirmed mappings are synced.

export interface PsaCompany {
  id: string;
  name: string;
  identifier: string; // ConnectWise's short identifier, Autotask's company number ('' when none)
  website: string;
}

export interface PsaAgreement {
  id: string;
  companyId: string;
  name: string;
}

export interface PsaProduct {
  id: string;
  code: string; // ConnectWise catalog identifier; Autotask has no code: the service name
  name: string;
}

export interface TenantMapping {
  tenantId: string;
  companyId: string;
  companyName: string;
  agreementId: string;
  agreementName: string;
  confirmedAt: Date;
  confirmedByName: string;
}

export interface ProductMapping {
  productKey: string; // billing's product key (its name, lower-cased)
  psaProductId: string;
  psaProductName: string;
  confirmedAt: Date;
  confirmedByName: string;
}

export interface Suggestion<T> {
  value: T;
  because: string;
}

export function normalizedName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[.,'’&]/g, ' ')
    .replace(/\b(inc|ltd|llc|gmbh|corp|corporation|co|plc|limited|sa|ag|the|and)\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function domainLabel(domain: string): string {
  return (domain.toLowerCase().split('.')[0] ?? '').replace(/[^a-z0-9]/g, '');
}

function websiteLabel(website: string): string {
  const host =
    website
      .toLowerCase()
      .replace(/^[a-z]+:\/\//, '')
      .replace(/^www\./, '')
      .split(/[/:]/)[0] ?? '';
  return domainLabel(host);
}

// By name (ignoring legal suffixes and punctuation), then by the tenant's domain against the company's identifier or
// website; null when nothing matches (a person picks one).
export function suggestCompany(
  customer: { companyName: string; domain: string },
  companies: readonly PsaCompany[],
): Suggestion<PsaCompany> | null {
  const name = normalizedName(customer.companyName);
  const byName = companies.find((c) => normalizedName(c.name) === name);
  if (byName) return { value: byName, because: `Same name as the ${byName.name} company` };
  const label = domainLabel(customer.domain);
  if (!label) return null;
  const byDomain = companies.find(
    (c) => c.identifier.toLowerCase().replace(/[^a-z0-9]/g, '') === label || (c.website && websiteLabel(c.website) === label),
  );
  return byDomain ? { value: byDomain, because: `Domain ${customer.domain} matches ${byDomain.name}` } : null;
}

// The only agreement of the company, or the one whose name says Microsoft / 365 / licences.
export function suggestAgreement(agreements: readonly PsaAgreement[]): Suggestion<PsaAgreement> | null {
  if (agreements.length === 1) return { value: agreements[0], because: 'The company’s only active agreement' };
  const named = agreements.filter((a) => /microsoft|365|licen[cs]/i.test(a.name));
  return named.length === 1 ? { value: named[0], because: `Named ${named[0].name}` } : null;
}

// By code (the billing product code equal to the PSA's), then by name.
export function suggestProduct(
  product: { productName: string; productCode: string },
  psaProducts: readonly PsaProduct[],
): Suggestion<PsaProduct> | null {
  const code = product.productCode.trim().toLowerCase();
  if (code) {
    const byCode = psaProducts.find((p) => p.code.toLowerCase() === code);
    if (byCode) return { value: byCode, because: `Same code ${byCode.code}` };
  }
  const name = normalizedName(product.productName);
  const byName = psaProducts.find((p) => normalizedName(p.name) === name);
  if (byName) return { value: byName, because: `Same name as ${byName.name}` };
  // "Managed Business Basic" is the partner's name for "Microsoft 365 Business Basic": compared without the words
  // every Microsoft product or MSP bundle carries, and without a parenthesised term ("(annual)"); only a unique match.
  const core = coreName(product.productName);
  const similar = core ? psaProducts.filter((p) => coreName(p.name) === core) : [];
  if (similar.length === 1) return { value: similar[0], because: `Similar name: ${similar[0].name}` };
  return null;
}

function coreName(name: string): string {
  return normalizedName(name.replace(/\([^)]*\)/g, ' '))
    .replace(/\b(managed|hosted|microsoft|office|365|m365|o365|licen[cs]es?|per user|monthly|annual|plan)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
