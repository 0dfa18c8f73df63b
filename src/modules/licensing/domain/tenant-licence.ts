import type { SkuLicenceSnapshot } from '../../../shared/domain/licence-readings';
import { skuKey } from '../../../shared/domain/licence-terms';

// One SKU of a customer tenant as Partner Center last reported it. `changedAt` moves only when what Partner
// Center says about the SKU changes, never on a read that says the same.
export class TenantLicence {
  id: string;
  organizationId: string;
  tenantId: string;
  // Lower case, so Partner Center, Graph and the catalogue agree on one spelling.
  skuId: string;
  skuPartNumber: string;
  // Partner Center's own product name, when it sends one (the catalogue names the rest).
  partnerCenterName: string | null;
  capabilityStatus: string;
  activeUnits: number;
  warningUnits: number;
  suspendedUnits: number;
  consumedUnits: number;
  // From the customer's directory (Graph prepaidUnits.lockedOut): cancelled units that cannot be reactivated.
  lockedOutUnits: number;
  changedAt: Date;

  static fromSnapshot(input: { id: string; organizationId: string; tenantId: string; sku: SkuLicenceSnapshot; at: Date }): TenantLicence {
    const licence = new TenantLicence();
    licence.id = input.id;
    licence.organizationId = input.organizationId;
    licence.tenantId = input.tenantId;
    licence.skuId = skuKey(input.sku.skuId);
    licence.lockedOutUnits = 0;
    licence.assign(input.sku, input.at);
    return licence;
  }

  // Takes the directory's locked-out units. Returns false, and changes nothing, when they are the same.
  applyLockedOut(units: number, at: Date): boolean {
    if ((this.lockedOutUnits ?? 0) === units) return false;
    this.lockedOutUnits = units;
    this.changedAt = at;
    return true;
  }

  // Takes what Partner Center says now. Returns false, and leaves the licence untouched, when nothing differs.
  apply(sku: SkuLicenceSnapshot, at: Date): boolean {
    if (this.sameAs(sku)) return false;
    this.assign(sku, at);
    return true;
  }

  sameAs(sku: SkuLicenceSnapshot): boolean {
    const next = values(sku);
    return (
      this.skuPartNumber === next.skuPartNumber &&
      this.partnerCenterName === next.partnerCenterName &&
      this.capabilityStatus === next.capabilityStatus &&
      this.activeUnits === next.activeUnits &&
      this.warningUnits === next.warningUnits &&
      this.suspendedUnits === next.suspendedUnits &&
      this.consumedUnits === next.consumedUnits
    );
  }

  private assign(sku: SkuLicenceSnapshot, at: Date): void {
    Object.assign(this, values(sku));
    this.changedAt = at;
  }
}

// One key per SKU, the same the reconciliation compares with (shared/domain/licence-terms.ts).
export { skuKey };

function values(sku: SkuLicenceSnapshot) {
  return {
    skuPartNumber: sku.skuPartNumber.trim(),
    partnerCenterName: sku.productName?.trim() || null,
    capabilityStatus: sku.capabilityStatus,
    activeUnits: sku.activeUnits,
    warningUnits: sku.warningUnits,
    suspendedUnits: sku.suspendedUnits,
    consumedUnits: sku.consumedUnits,
  };
}
