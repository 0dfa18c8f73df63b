import { catalogueName, productName, SKU_CATALOGUE } from './sku-catalog';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the SKU catalogue', () => {
  it('names the SKUs of the demo scenario by their skuId', () => {
    expect(catalogueName({ skuId: '3b555118-da6a-4418-894f-7df1e2096870', skuPartNumber: '' })).toBe('Microsoft 365 Business Basic');
    expect(catalogueName({ skuId: 'cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46', skuPartNumber: '' })).toBe('Microsoft 365 Business Premium');
    expect(catalogueName({ skuId: '05e9a617-0261-4cee-bb44-138d3ef5d965', skuPartNumber: '' })).toBe('Microsoft 365 E3');
    expect(catalogueName({ skuId: '639dec6b-bb19-468b-871c-c5c441c4b0cb', skuPartNumber: '' })).toBe('Microsoft 365 Copilot');
    expect(catalogueName({ skuId: 'c5928f49-12ba-48f7-ada3-0d743a3601d5', skuPartNumber: '' })).toBe('Visio Plan 2');
  });

  it('matches a skuId written in upper case or with spaces around it', () => {
    expect(catalogueName({ skuId: ' 4B9405B0-7788-4568-ADD1-99614E613B69 ', skuPartNumber: '' })).toBe('Exchange Online (Plan 1)');
  });

  it('falls back to the part number, whatever its case, when the skuId is not in the catalogue', () => {
    expect(catalogueName({ skuId: '00000000-0000-0000-0000-000000000001', skuPartNumber: 'spe_e5' })).toBe('Microsoft 365 E5');
    expect(catalogueName({ skuId: '00000000-0000-0000-0000-000000000001', skuPartNumber: 'INTUNE_A' })).toBe('Microsoft Intune Plan 1');
  });

  it('knows nothing of an unknown SKU', () => {
    expect(catalogueName({ skuId: '00000000-0000-0000-0000-000000000001', skuPartNumber: 'CONTOSO_SPECIAL' })).toBeNull();
  });

  it('has lower-case GUIDs, one name per skuId and per part number', () => {
    const ids = SKU_CATALOGUE.flatMap((e) => (e.skuId ? [e.skuId] : []));
    for (const id of ids) expect(id).toMatch(GUID);
    expect(new Set(ids).size).toBe(ids.length);
    const partNumbers = SKU_CATALOGUE.map((e) => e.skuPartNumber.toUpperCase());
    expect(new Set(partNumbers).size).toBe(partNumbers.length);
  });
});

describe('the product name people see for a licence', () => {
  it('prefers the catalogue name over the name Partner Center sent', () => {
    expect(
      productName({
        skuId: '3ab6abff-666f-4424-bfb7-f0bc274ec7bc',
        skuPartNumber: 'TEAMS_ESSENTIALS_AAD',
        partnerCenterName: 'Microsoft Teams Essentials (AAD Identity)',
      }),
    ).toBe('Microsoft Teams Essentials (Microsoft Entra identity)');
  });

  it("uses Partner Center's name for a SKU the catalogue does not know", () => {
    expect(
      productName({
        skuId: '00000000-0000-0000-0000-000000000001',
        skuPartNumber: 'CONTOSO_SPECIAL',
        partnerCenterName: 'Contoso Special Edition',
      }),
    ).toBe('Contoso Special Edition');
  });

  it('uses the part number when Partner Center sent no name', () => {
    expect(productName({ skuId: '00000000-0000-0000-0000-000000000001', skuPartNumber: 'CONTOSO_SPECIAL', partnerCenterName: null })).toBe(
      'CONTOSO_SPECIAL',
    );
    expect(productName({ skuId: '00000000-0000-0000-0000-000000000001', skuPartNumber: 'CONTOSO_SPECIAL', partnerCenterName: '  ' })).toBe(
      'CONTOSO_SPECIAL',
    );
  });

  it('never shows a bare GUID, even when Partner Center puts the id where the name belongs', () => {
    const skuId = '00000000-0000-0000-0000-000000000001';
    expect(productName({ skuId, skuPartNumber: 'CONTOSO_SPECIAL', partnerCenterName: skuId })).toBe('CONTOSO_SPECIAL');
    const name = productName({ skuId, skuPartNumber: '', partnerCenterName: skuId });
    expect(name).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/i);
    expect(name).toBe('Unnamed Microsoft product');
  });
});
