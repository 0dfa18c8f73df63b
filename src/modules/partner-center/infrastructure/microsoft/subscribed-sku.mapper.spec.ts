import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PartnerCenterCollection, PartnerCenterSubscribedSku } from '../../../../../libs/microsoft/src';
import { projectRoot } from '../../../../shared/infrastructure/project-root';
import { toSkuLicenceSnapshot } from './subscribed-sku.mapper';
import { UnexpectedWireShapeError } from './wire-value.mapper';

const sample: PartnerCenterCollection<PartnerCenterSubscribedSku> = JSON.parse(
  readFileSync(join(projectRoot, 'test/fixtures/microsoft/pc-subscribedskus-list.json'), 'utf8'),
);

describe('subscribed SKU mapper (Partner Center subscribedskus → SkuLicenceSnapshot)', () => {
  it("maps Microsoft's sample: ids, part numbers, names and every unit count", () => {
    expect(sample.items.map(toSkuLicenceSnapshot)).toEqual([
      {
        skuId: 'efccb6f7-5641-4e0e-bd10-b4976e1bf68e',
        skuPartNumber: 'EMS',
        productName: 'Enterprise Mobility + Security E3',
        capabilityStatus: 'Enabled',
        activeUnits: 5,
        warningUnits: 0,
        suspendedUnits: 0,
        consumedUnits: 1,
      },
      {
        skuId: 'f8a1db68-be16-40ed-86d5-cb42ce701560',
        skuPartNumber: 'POWER_BI_PRO',
        productName: 'Power BI Pro',
        capabilityStatus: 'Enabled',
        activeUnits: 1,
        warningUnits: 0,
        suspendedUnits: 0,
        consumedUnits: 1,
      },
    ]);
  });

  it('keeps an over-assigned count as sent (more consumed than active)', () => {
    const snapshot = toSkuLicenceSnapshot({
      activeUnits: 12,
      consumedUnits: 15,
      availableUnits: -3,
      totalUnits: 12,
      productSku: { id: 'CBDC14AB-D96C-4C30-B9F4-6ADA7CDC1D46', skuPartNumber: 'SPB' },
    });

    expect(snapshot).toMatchObject({ skuId: 'cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46', activeUnits: 12, consumedUnits: 15 });
  });

  it('counts missing numbers as 0, recovers active units from the total, and never treats a GUID as a product name', () => {
    const snapshot = toSkuLicenceSnapshot({
      totalUnits: 10,
      warningUnits: 4,
      productSku: { id: 'c5928f49-12ba-48f7-ada3-0d743a3601d5', name: 'c5928f49-12ba-48f7-ada3-0d743a3601d5' },
      extraField: 'ignored',
    } as PartnerCenterSubscribedSku);

    expect(snapshot).toEqual({
      skuId: 'c5928f49-12ba-48f7-ada3-0d743a3601d5',
      skuPartNumber: '',
      productName: null,
      capabilityStatus: 'Unknown',
      activeUnits: 6,
      warningUnits: 4,
      suspendedUnits: 0,
      consumedUnits: 0,
    });
  });

  it('refuses a licence without a SKU id', () => {
    expect(() => toSkuLicenceSnapshot({ activeUnits: 1 } as PartnerCenterSubscribedSku)).toThrow(UnexpectedWireShapeError);
  });
});
