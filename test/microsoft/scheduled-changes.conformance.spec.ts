import { control, expectApiFault } from '../emulator/support/emulator-test-kit';
import { useCommerceKit, customerId, DAY_SECONDS, ORG, ADMIN, sameProductAtRenewal } from './support/commerce-kit';

// FACTS §7a.4 — outside the 7-day window the only way to fewer seats is a change scheduled for renewal
// (Learn "Schedule changes for a new commerce subscription", create-scheduled-changes.md): GET
// …/transitionEligibilities?eligibilityType=scheduled, then PATCH the subscription with scheduledNextTermInstructions
// {product{productId, skuId, availabilityId, billingCycle, termDuration}, quantity}; auto-renew must be on; "if you
// make a mid-term (immediate) change before your renewal date, all scheduled changes … are deleted"; renewals start
// at 00:00 UTC the day after the term's last day.
describe('scheduled changes at renewal (FACTS §7a.4)', () => {
  const kit = useCommerceKit();

  describe('the emulator, like Partner Center', () => {
    it('lists the subscription’s own product as eligible for a scheduled change, and nothing for an immediate one', async () => {
      const e3 = await kit.subscription('humongous', 'Microsoft 365 E3');
      const scheduled = await kit.get(
        `/v1/customers/${customerId('humongous')}/subscriptions/${e3.id}/transitionEligibilities?eligibilityType=scheduled`,
      );
      expect(scheduled.status).toBe(200);
      expect(scheduled.body).toEqual({
        totalCount: 1,
        items: [
          {
            catalogItemId: e3.offerId,
            title: 'Microsoft 365 E3',
            description: 'Microsoft 365 E3',
            quantity: 80,
            eligibilities: [{ isEligible: true, transitionType: 'transition_only', errors: [] }],
            attributes: { objectType: 'TransitionEligibility' },
          },
        ],
        attributes: { objectType: 'Collection' },
      });
      const immediate = await kit.get(`/v1/customers/${customerId('humongous')}/subscriptions/${e3.id}/transitionEligibilities`);
      expect(immediate.body).toMatchObject({ totalCount: 0, items: [] });
    });

    it('holds a scheduled quantity without changing the seats now, and shows it on the subscription', async () => {
      const e3 = await kit.subscription('humongous', 'Microsoft 365 E3');
      expect(e3.scheduledNextTermInstructions).toBeNull();
      expect(e3.renewalTermDuration).toBe('P1Y');
      const response = await kit.patch('humongous', e3.id, { ...e3, scheduledNextTermInstructions: sameProductAtRenewal(e3, 70) });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        quantity: 80,
        scheduledNextTermInstructions: { product: { termDuration: 'P1Y' }, quantity: 70 },
      });
      expect(await kit.activeUnits('humongous', 'SPE_E3')).toBe(80);
    });

    it('refuses a scheduled change without auto-renew, for another product, or with a bad quantity', async () => {
      const e3 = await kit.subscription('humongous', 'Microsoft 365 E3');
      const wrongProduct = sameProductAtRenewal(e3, 70);
      wrongProduct.product.productId = 'CFQ7TTC0LH18';
      expectApiFault(await kit.patch('humongous', e3.id, { ...e3, scheduledNextTermInstructions: wrongProduct }), 400, 800002);
      expectApiFault(
        await kit.patch('humongous', e3.id, { ...e3, scheduledNextTermInstructions: { ...sameProductAtRenewal(e3, 0) } }),
        400,
        800002,
      );
      // A term and billing cycle no offer combines (a month billed triennially).
      const impossibleBilling = sameProductAtRenewal(e3, 70);
      impossibleBilling.product = { ...impossibleBilling.product, termDuration: 'P1M', billingCycle: 'Triennial' };
      expectApiFault(await kit.patch('humongous', e3.id, { ...e3, scheduledNextTermInstructions: impossibleBilling }), 400, 800002);

      await control(kit.env, 'PATCH', `customers/${customerId('humongous')}/subscriptions/${e3.id}`, { autoRenewEnabled: false });
      const notRenewing = await kit.byId('humongous', e3.id);
      expectApiFault(
        await kit.patch('humongous', e3.id, { ...notRenewing, scheduledNextTermInstructions: sameProductAtRenewal(e3, 70) }),
        400,
        800002,
      );
      const eligibility = await kit.get(
        `/v1/customers/${customerId('humongous')}/subscriptions/${e3.id}/transitionEligibilities?eligibilityType=scheduled`,
      );
      expect(eligibility.body.items[0].eligibilities[0]).toMatchObject({
        isEligible: false,
        errors: [expect.objectContaining({ description: expect.any(String) })],
      });
      expect((await kit.byId('humongous', e3.id)).scheduledNextTermInstructions).toBeNull();
    });

    it('deletes the scheduled change when an immediate change is made', async () => {
      const e3 = await kit.subscription('humongous', 'Microsoft 365 E3');
      await kit.patch('humongous', e3.id, { ...e3, scheduledNextTermInstructions: sameProductAtRenewal(e3, 70) });
      const raised = await kit.patch('humongous', e3.id, { quantity: 82 });
      expect(raised.body).toMatchObject({ quantity: 82, scheduledNextTermInstructions: null });
    });

    it('renews the term when its clock passes the end date, applying the scheduled quantity with a fresh 7-day window', async () => {
      const e3 = await kit.subscription('humongous', 'Microsoft 365 E3');
      await kit.patch('humongous', e3.id, { ...e3, scheduledNextTermInstructions: sameProductAtRenewal(e3, 70) });
      const renewalDay = Date.parse(e3.commitmentEndDate.slice(0, 10)) + DAY_SECONDS * 1000;
      const now = Date.parse((await control(kit.env, 'GET', 'clock')).body.now);
      await kit.advance(Math.ceil((renewalDay - now) / 1000) + 60);

      const renewed = await kit.byId('humongous', e3.id);
      expect(renewed).toMatchObject({
        quantity: 70,
        scheduledNextTermInstructions: null,
        termDuration: 'P1Y',
        refundableQuantity: { totalQuantity: 70 },
      });
      expect(Date.parse(renewed.effectiveStartDate)).toBe(renewalDay);
      expect(Date.parse(renewed.cancellationAllowedUntilDate)).toBe(renewalDay + 7 * DAY_SECONDS * 1000);
      expect(Date.parse(renewed.commitmentEndDate)).toBeGreaterThan(renewalDay + 360 * DAY_SECONDS * 1000);
      expect(renewed.attributes.etag).not.toBe(e3.attributes.etag);
      expect(await kit.activeUnits('humongous', 'SPE_E3')).toBe(70);
    });

    it('renews a monthly term every month with the same seats when nothing is scheduled', async () => {
      const powerBi = await kit.subscription('adatum', 'Power BI Pro');
      const renewalDay = Date.parse(powerBi.commitmentEndDate.slice(0, 10)) + DAY_SECONDS * 1000;
      const now = Date.parse((await control(kit.env, 'GET', 'clock')).body.now);
      await kit.advance(Math.ceil((renewalDay - now) / 1000) + 60);
      const renewed = await kit.byId('adatum', powerBi.id);
      expect(renewed).toMatchObject({ quantity: 10, refundableQuantity: { totalQuantity: 10 } });
      expect(Date.parse(renewed.effectiveStartDate)).toBe(renewalDay);
    });
  });

  describe('Sync 365 (the SubscriptionChanges adapter against it)', () => {
    it('writes a decrease outside the window as a scheduled change: transitionEligibilities, then scheduledNextTermInstructions', async () => {
      const e3 = await kit.subscription('adatum', 'Microsoft 365 E3');
      const outcome = await kit.adapter.scheduleQuantityAtRenewal(kit.change('adatum', e3.id, 50, 47));
      const renewsOn = new Date(Date.parse(e3.commitmentEndDate.slice(0, 10)) + DAY_SECONDS * 1000).toISOString();
      expect(outcome).toEqual({
        outcome: 'scheduled',
        quantity: 47,
        renewsOn,
        detail: expect.stringMatching(/^Partner Center will change the subscription from 50 to 47 seats when it renews on .* UTC\.$/),
      });
      const after = await kit.byId('adatum', e3.id);
      expect(after).toMatchObject({
        quantity: 50,
        scheduledNextTermInstructions: { quantity: 47, product: { termDuration: 'P1Y', billingCycle: 'annual' } },
      });
      const requests = (await control(kit.env, 'GET', 'requests')).body as Record<string, number>;
      expect(requests['GET /v1/customers/{customerId}/subscriptions/{subscriptionId}/transitionEligibilities']).toBe(1);
    });

    it('never sends an immediate change over a scheduled one: it refuses in plain words and the scheduled change stays', async () => {
      const e3 = await kit.subscription('humongous', 'Microsoft 365 E3');
      await kit.adapter.scheduleQuantityAtRenewal(kit.change('humongous', e3.id, 80, 75));
      const before = await kit.patches();
      const outcome = await kit.adapter.changeQuantity(kit.change('humongous', e3.id, 80, 82));
      expect(outcome).toMatchObject({
        outcome: 'refused',
        reason: expect.stringContaining('Changing the seats now would delete that scheduled change, so nothing was changed.'),
      });
      expect(await kit.patches()).toBe(before);
      expect((await kit.byId('humongous', e3.id)).scheduledNextTermInstructions).toMatchObject({ quantity: 75 });
    });

    it('removes the scheduled change when it is called off, and leaves one it did not make', async () => {
      const e3 = await kit.subscription('humongous', 'Microsoft 365 E3');
      await kit.adapter.scheduleQuantityAtRenewal(kit.change('humongous', e3.id, 80, 75));
      expect(await kit.adapter.cancelScheduledQuantity(kit.change('humongous', e3.id, 80, 74))).toMatchObject({
        outcome: 'cancelled',
        detail: expect.stringContaining('left as it is'),
      });
      expect((await kit.byId('humongous', e3.id)).scheduledNextTermInstructions).toMatchObject({ quantity: 75 });
      expect(await kit.adapter.cancelScheduledQuantity(kit.change('humongous', e3.id, 80, 75))).toEqual({
        outcome: 'cancelled',
        detail: 'The change scheduled in Partner Center was removed.',
      });
      expect((await kit.byId('humongous', e3.id)).scheduledNextTermInstructions).toBeNull();
    });

    it('is refused a scheduled change on a subscription that does not renew', async () => {
      const e3 = await kit.subscription('humongous', 'Microsoft 365 E3');
      await control(kit.env, 'PATCH', `customers/${customerId('humongous')}/subscriptions/${e3.id}`, { autoRenewEnabled: false });
      expect(await kit.adapter.scheduleQuantityAtRenewal(kit.change('humongous', e3.id, 80, 75))).toMatchObject({
        outcome: 'refused',
        reason: expect.stringContaining('does not renew automatically'),
      });
    });

    it('sees the scheduled quantity take effect at renewal', async () => {
      const e3 = await kit.subscription('humongous', 'Microsoft 365 E3');
      await kit.adapter.scheduleQuantityAtRenewal(kit.change('humongous', e3.id, 80, 75));
      const renewalDay = Date.parse(e3.commitmentEndDate.slice(0, 10)) + DAY_SECONDS * 1000;
      const now = Date.parse((await control(kit.env, 'GET', 'clock')).body.now);
      await kit.advance(Math.ceil((renewalDay - now) / 1000) + 60);
      expect(await kit.adapter.subscriptionState(ORG, ADMIN, customerId('humongous'), e3.id)).toMatchObject({
        quantity: 75,
        scheduledQuantity: null,
        refundableQuantity: 75,
      });
    });
  });
});
