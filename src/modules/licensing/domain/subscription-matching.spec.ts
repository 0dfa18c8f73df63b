import { SKU_IDS } from '../infrastructure/testing/licence-snapshots';
import { matchSubscriptions } from './subscription-matching';

const VISIO = '38b434d2-a15e-4cde-9a98-e737c75623e1';
const STANDARD = 'f245ecc8-75af-4f8e-b61f-27d8114de5f3';

const partnerCenter = (id: string, quantity = 10) => ({ id, quantity });
const directory = (id: string, commerceSubscriptionId: string | null, skuId: string, totalLicenses = 10) => ({
  id,
  commerceSubscriptionId,
  skuId,
  totalLicenses,
});

describe('matching Partner Center subscriptions with the subscriptions in the customer directory', () => {
  it("flags Margie's Visio, bought elsewhere, as not sold by you and her Business Standard as yours", () => {
    const standard = partnerCenter('a4c1340b-6911-4758-bba3-0c4c6007d161', 14);
    const inDirectory = [
      directory('d-standard', 'a4c1340b-6911-4758-bba3-0c4c6007d161', STANDARD, 14),
      directory('d-visio', 'e9e9e9e9-0000-4000-8000-000000000001', VISIO, 5),
    ];

    const matching = matchSubscriptions({ partnerCenter: [standard], directory: inDirectory, skuIds: [STANDARD, VISIO] });

    expect(matching.directory.map((m) => [m.subscription.id, m.partnerCenter?.id ?? null])).toEqual([
      ['d-standard', standard.id],
      ['d-visio', null],
    ]);
    expect(matching.skus).toEqual([
      { skuId: STANDARD, soldByYou: true },
      { skuId: VISIO, soldByYou: false },
    ]);
    expect(matching.partnerCenterOnly).toEqual([]);
    expect(matching.partnerCenter).toEqual([{ subscription: standard, directory: [inDirectory[0]], skuId: STANDARD, tenantUnits: 14 }]);
  });

  it('matches ids spelled in different cases', () => {
    const matching = matchSubscriptions({
      partnerCenter: [partnerCenter('A4C1340B-6911-4758-BBA3-0C4C6007D161')],
      directory: [directory('d1', ' a4c1340b-6911-4758-bba3-0c4c6007d161', SKU_IDS.businessPremium.toUpperCase())],
      skuIds: [SKU_IDS.businessPremium],
    });

    expect(matching.directory[0].partnerCenter?.id).toBe('A4C1340B-6911-4758-BBA3-0C4C6007D161');
    expect(matching.partnerCenter[0].skuId).toBe(SKU_IDS.businessPremium);
    expect(matching.skus).toEqual([{ skuId: SKU_IDS.businessPremium, soldByYou: true }]);
  });

  it('lists a Partner Center subscription the directory does not show, without a SKU or tenant units', () => {
    const pending = partnerCenter('11111111-0000-4000-8000-000000000001');
    const matching = matchSubscriptions({ partnerCenter: [pending], directory: [], skuIds: [SKU_IDS.copilot] });

    expect(matching.partnerCenterOnly).toEqual([pending]);
    expect(matching.partnerCenter).toEqual([{ subscription: pending, directory: [], skuId: null, tenantUnits: null }]);
    expect(matching.skus).toEqual([{ skuId: SKU_IDS.copilot, soldByYou: false }]);
  });

  it('calls a SKU sold by you when one of its several directory subscriptions is yours', () => {
    const yours = partnerCenter('22222222-0000-4000-8000-000000000001');
    const matching = matchSubscriptions({
      partnerCenter: [yours],
      directory: [directory('d-web-direct', null, SKU_IDS.businessPremium, 3), directory('d-yours', yours.id, SKU_IDS.businessPremium, 20)],
      skuIds: [SKU_IDS.businessPremium],
    });

    expect(matching.skus).toEqual([{ skuId: SKU_IDS.businessPremium, soldByYou: true }]);
    expect(matching.directory.map((m) => m.partnerCenter === yours)).toEqual([false, true]);
    expect(matching.partnerCenter[0].tenantUnits).toBe(20);
  });

  it('adds up the licences when Graph lists one commerce subscription twice', () => {
    const yours = partnerCenter('33333333-0000-4000-8000-000000000001');
    const matching = matchSubscriptions({
      partnerCenter: [yours],
      directory: [directory('d1', yours.id, SKU_IDS.copilot, 5), directory('d2', yours.id, SKU_IDS.copilot, 2)],
      skuIds: [],
    });

    expect(matching.partnerCenter[0]).toMatchObject({ skuId: SKU_IDS.copilot, tenantUnits: 7 });
  });

  it('knows nothing about who sold what while the directory has never been read', () => {
    const subscription = partnerCenter('44444444-0000-4000-8000-000000000001');
    const matching = matchSubscriptions({ partnerCenter: [subscription], directory: null, skuIds: [SKU_IDS.businessPremium] });

    expect(matching.directory).toEqual([]);
    expect(matching.partnerCenterOnly).toBeNull();
    expect(matching.skus).toEqual([{ skuId: SKU_IDS.businessPremium, soldByYou: null }]);
    expect(matching.partnerCenter).toEqual([{ subscription, directory: [], skuId: null, tenantUnits: null }]);
  });
});
