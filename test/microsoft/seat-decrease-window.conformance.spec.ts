import { expectApiFault } from '../emulator/support/emulator-test-kit';
import { useCommerceKit, customerId, DAY_SECONDS, ORG, ADMIN } from './support/commerce-kit';

// FACTS §7a.4 — new-commerce seat decreases. Learn "new commerce license-based cancellation policy" / "Create
// customer subscriptions": licences "can be decreased only within the first seven days of when the licenses were
// added" (purchase, renewal or mid-term addition), for every term, monthly included; the subscription's
// refundableQuantity {totalQuantity, details[{quantity, allowedUntilDateTime}]} says how many can be reduced now.
// Microsoft does not publish the refusal's status/code: the emulator answers a 400 ApiFault (code 800002).
describe('new-commerce seat decreases: only within 7 days of the seats being added (FACTS §7a.4)', () => {
  const kit = useCommerceKit();

  describe('the emulator, like Partner Center', () => {
    it('says how many seats can be reduced now, per window: all of a subscription bought 2 days ago, none of one whose term started 200 days ago', async () => {
      const fresh = await kit.subscription('bestforyou', 'Microsoft 365 Business Standard');
      const windowEnd = new Date(Date.parse(fresh.effectiveStartDate) + 7 * DAY_SECONDS * 1000).toISOString().replace('.000Z', 'Z');
      expect(fresh.refundableQuantity).toEqual({ totalQuantity: 15, details: [{ quantity: 15, allowedUntilDateTime: windowEnd }] });

      const e3 = await kit.subscription('adatum', 'Microsoft 365 E3');
      expect(e3.refundableQuantity).toEqual({ totalQuantity: 0, details: [] });
    });

    it('refuses a decrease outside the window with an ApiFault and changes nothing, for an annual and a monthly term alike', async () => {
      const e3 = await kit.subscription('adatum', 'Microsoft 365 E3');
      const refused = await kit.patch('adatum', e3.id, { ...e3, quantity: 48 });
      expectApiFault(refused, 400, 800002);
      expect(refused.body.description).toContain('only 0 seat(s) can be reduced now (refundableQuantity)');
      expect((await kit.byId('adatum', e3.id)).quantity).toBe(50);

      // No monthly exemption: Power BI Pro's month started 12 days ago.
      const powerBi = await kit.subscription('adatum', 'Power BI Pro');
      expect(powerBi.termDuration).toBe('P1M');
      expectApiFault(await kit.patch('adatum', powerBi.id, { ...powerBi, quantity: 8 }), 400, 800002);
      expect((await kit.byId('adatum', powerBi.id)).quantity).toBe(10);
    });

    it('lets a subscription bought 2 days ago be reduced, and the tenant licences follow', async () => {
      const fresh = await kit.subscription('bestforyou', 'Microsoft 365 Business Standard');
      const reduced = await kit.patch('bestforyou', fresh.id, { ...fresh, quantity: 12 });
      expect(reduced.status).toBe(200);
      expect(reduced.body).toMatchObject({ quantity: 12, refundableQuantity: { totalQuantity: 12 } });
      expect(await kit.activeUnits('bestforyou', 'O365_BUSINESS_PREMIUM')).toBe(12);
    });

    it('gives seats added mid-term their own 7-day window, and only those can be reduced', async () => {
      const e3 = await kit.subscription('humongous', 'Microsoft 365 E3'); // term started 33 days ago
      expect((await kit.patch('humongous', e3.id, { ...e3, quantity: 85 })).status).toBe(200);
      expect((await kit.byId('humongous', e3.id)).refundableQuantity.totalQuantity).toBe(5);

      // More than the added seats: refused; the added ones: fine.
      expectApiFault(await kit.patch('humongous', e3.id, { quantity: 79 }), 400, 800002);
      expect((await kit.patch('humongous', e3.id, { quantity: 82 })).body.quantity).toBe(82);
      expect((await kit.byId('humongous', e3.id)).refundableQuantity.totalQuantity).toBe(2);

      // Eight days on, the added seats' window has closed too.
      await kit.advance(8 * DAY_SECONDS);
      expect((await kit.byId('humongous', e3.id)).refundableQuantity).toEqual({ totalQuantity: 0, details: [] });
      expectApiFault(await kit.patch('humongous', e3.id, { quantity: 81 }), 400, 800002);
    });

    it('closes the window of a fresh subscription once its 7 days are over', async () => {
      const fresh = await kit.subscription('bestforyou', 'Microsoft 365 Business Standard'); // bought 2 days ago
      await kit.advance(4 * DAY_SECONDS);
      expect((await kit.byId('bestforyou', fresh.id)).refundableQuantity.totalQuantity).toBe(15);
      await kit.advance(2 * DAY_SECONDS);
      expect((await kit.byId('bestforyou', fresh.id)).refundableQuantity.totalQuantity).toBe(0);
      expectApiFault(await kit.patch('bestforyou', fresh.id, { quantity: 12 }), 400, 800002);
    });
  });

  describe('Sync 365 (the SubscriptionChanges adapter against it)', () => {
    it('reads the seats reducible now and until when', async () => {
      const fresh = await kit.subscription('bestforyou', 'Microsoft 365 Business Standard');
      const state = await kit.adapter.subscriptionState(ORG, ADMIN, customerId('bestforyou'), fresh.id);
      expect(state).toMatchObject({
        quantity: 15,
        refundableQuantity: 15,
        refundableUntil: new Date(fresh.refundableQuantity.details[0].allowedUntilDateTime).toISOString(),
        scheduledQuantity: null,
      });
      expect(state!.renewsOn).toBe(new Date(Date.parse(fresh.commitmentEndDate.slice(0, 10)) + DAY_SECONDS * 1000).toISOString());
    });

    it('refuses a decrease outside the window without sending it, and says it can be made at renewal on the renewal day', async () => {
      const e3 = await kit.subscription('adatum', 'Microsoft 365 E3');
      const before = await kit.patches();
      const outcome = await kit.adapter.changeQuantity(kit.change('adatum', e3.id, 50, 47));
      expect(outcome).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('Remove them at renewal on') });
      expect(await kit.patches()).toBe(before);
      expect((await kit.byId('adatum', e3.id)).quantity).toBe(50);
    });

    it('makes a decrease inside the window', async () => {
      const fresh = await kit.subscription('bestforyou', 'Microsoft 365 Business Standard');
      expect(await kit.adapter.changeQuantity(kit.change('bestforyou', fresh.id, 15, 13))).toMatchObject({
        outcome: 'applied',
        quantity: 13,
      });
      expect((await kit.byId('bestforyou', fresh.id)).quantity).toBe(13);
    });

    it('refuses a decrease beyond the seats added mid-term, naming how many can go now', async () => {
      const e3 = await kit.subscription('humongous', 'Microsoft 365 E3');
      expect(await kit.adapter.changeQuantity(kit.change('humongous', e3.id, 80, 84))).toMatchObject({ outcome: 'applied' });
      const outcome = await kit.adapter.changeQuantity(kit.change('humongous', e3.id, 84, 78));
      expect(outcome).toMatchObject({
        outcome: 'refused',
        reason: expect.stringMatching(/^Only 4 seats of this subscription can be removed now \(until .* UTC\), not 6:/),
      });
      expect((await kit.byId('humongous', e3.id)).quantity).toBe(84);
    });
  });
});
