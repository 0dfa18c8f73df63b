import { DEMO_QUIRKS } from '../../libs/microsoft-emulator/src';
import { statusLabelOf } from '../../src/modules/portal/domain/change-request';
import { control, expectApiFault } from '../emulator/support/emulator-test-kit';
import { useCommerceKit, customerId, ORG, ADMIN } from './support/commerce-kit';
import { portalOverEmulator, STAFF } from './support/portal-over-emulator';

// FACTS §7a.5 — PATCH …/subscriptions/{id} may answer 202 Accepted with a Location: the change is pending until the
// subscription reads back changed ("query the subscription periodically"); a pending change is neither done nor
// failed. The emulator answers 202 for the subscriptions flagged acceptsChangesLater (Adatum's E3 in the demo, or any
// through the control API) and makes the change PENDING_CHANGE_MS (60 s) later on its clock. What Location points
// to is not documented: the emulator sends the subscription's own URI (assumed).
describe('pending subscription changes: 202 Accepted + Location (FACTS §7a.5)', () => {
  const kit = useCommerceKit();

  describe('the emulator, like Partner Center', () => {
    it('accepts a change to Adatum’s E3 for later: 202, Location, no body; the subscription reads unchanged until it is made', async () => {
      expect(DEMO_QUIRKS.contoso.changesAcceptedLater).toEqual({ customer: 'adatum', skuPartNumber: 'SPE_E3' });
      const e3 = await kit.subscription('adatum', 'Microsoft 365 E3');
      const accepted = await kit.patch('adatum', e3.id, { ...e3, quantity: 55 });
      expect(accepted.status).toBe(202);
      expect(accepted.headers.get('location')).toBe(`/v1/customers/${customerId('adatum')}/subscriptions/${e3.id}`);
      expect(accepted.headers.get('ms-correlationid')).toMatch(/^[0-9a-f-]{36}$/);
      expect(accepted.text).toBe('');
      expect((await kit.byId('adatum', e3.id)).quantity).toBe(50);
      expect(await kit.activeUnits('adatum', 'SPE_E3')).toBe(50);

      // A second change while the first is pending: Partner Center's "pending adjustment" 409.
      expectApiFault(await kit.patch('adatum', e3.id, { quantity: 56 }), 409, 800014);

      await kit.advance(61);
      expect((await kit.byId('adatum', e3.id)).quantity).toBe(55);
      expect(await kit.activeUnits('adatum', 'SPE_E3')).toBe(55);
    });

    it('answers at once for subscriptions without the flag, and the control API sets the flag deterministically', async () => {
      const powerBi = await kit.subscription('adatum', 'Power BI Pro');
      expect((await kit.patch('adatum', powerBi.id, { quantity: 11 })).status).toBe(200);
      expect(
        (await control(kit.env, 'PATCH', `customers/${customerId('adatum')}/subscriptions/${powerBi.id}`, { acceptsChangesLater: true }))
          .status,
      ).toBe(200);
      expect((await kit.patch('adatum', powerBi.id, { quantity: 12 })).status).toBe(202);
      expect(
        (await control(kit.env, 'PATCH', `customers/${customerId('adatum')}/subscriptions/${powerBi.id}`, { acceptsChangesLater: 'yes' }))
          .status,
      ).toBe(400);
    });

    it('still refuses what it refuses before accepting anything: a decrease outside the window is a 400, not a 202', async () => {
      const e3 = await kit.subscription('adatum', 'Microsoft 365 E3');
      expectApiFault(await kit.patch('adatum', e3.id, { quantity: 45 }), 400, 800002);
    });
  });

  describe('Sync 365', () => {
    it('the adapter reports the 202 as pending, never as failed, and the new quantity once the subscription reads back changed', async () => {
      const e3 = await kit.subscription('adatum', 'Microsoft 365 E3');
      const outcome = await kit.adapter.changeQuantity(kit.change('adatum', e3.id, 50, 53));
      expect(outcome).toEqual({
        outcome: 'pending',
        reason: expect.stringContaining('Partner Center accepted the change from 50 to 53 seats and is still making it.'),
      });
      expect(await kit.adapter.currentQuantity(ORG, ADMIN, customerId('adatum'), e3.id)).toBe(50);
      await kit.advance(61);
      expect(await kit.adapter.currentQuantity(ORG, ADMIN, customerId('adatum'), e3.id)).toBe(53);
    });

    it('the portal shows an approved change as pending in Partner Center and settles it as applied when the subscription reads back changed', async () => {
      const e3 = await kit.subscription('adatum', 'Microsoft 365 E3');
      const portal = portalOverEmulator(kit, 'adatum');
      portal.knows(e3, '05e9a617-0261-4cee-bb44-138d3ef5d965', 47);
      const request = await portal.requested(e3, 'increase', 52);

      const approved = await portal.decide.approve(STAFF, request.id, 'More analysts');
      expect(approved).toMatchObject({ status: 'applying', pendingSince: portal.clock.now(), appliedQuantity: null });
      expect(statusLabelOf(approved)).toBe('Pending in Partner Center');
      expect(portal.audit.entries.at(-1)).toMatchObject({ action: 'portal.change-pending', outcome: 'success' });

      // The follow-up job before Partner Center made it: still pending (not failed), nothing sent again.
      const patches = await kit.patches();
      expect(await portal.settle.execute()).toEqual({ applied: 0, settled: 0 });
      expect(portal.requests.requests.get(request.id)).toMatchObject({ status: 'applying' });
      expect(await kit.patches()).toBe(patches);

      // Partner Center made it: the next run settles it.
      await kit.advance(61);
      expect(await portal.settle.execute()).toEqual({ applied: 0, settled: 1 });
      expect(portal.requests.requests.get(request.id)).toMatchObject({
        status: 'applied',
        appliedQuantity: 52,
        result: 'Partner Center shows 52 seats: the change was made.',
      });
      expect(await kit.patches()).toBe(patches);
    });

    it('the portal writes an approved decrease at renewal into Partner Center and settles it when Partner Center renews', async () => {
      const e3 = await kit.subscription('adatum', 'Microsoft 365 E3');
      const portal = portalOverEmulator(kit, 'adatum');
      portal.knows(e3, '05e9a617-0261-4cee-bb44-138d3ef5d965', 47);
      const renewalDay = new Date(Date.parse(e3.commitmentEndDate.slice(0, 10)) + 24 * 60 * 60 * 1000);
      const atRenewal = await portal.requested(e3, 'decrease_at_renewal', 48, renewalDay);

      const approved = await portal.decide.approve(STAFF, atRenewal.id, null);
      expect(approved).toMatchObject({
        status: 'scheduled',
        effectiveDate: renewalDay,
        result: expect.stringMatching(/^Scheduled in Partner Center: /),
      });
      expect((await kit.byId('adatum', e3.id)).scheduledNextTermInstructions).toMatchObject({ quantity: 48 });

      // Renewal: the emulator applies the scheduled change; the job records it.
      await kit.advance(Math.ceil((renewalDay.getTime() - Date.parse((await control(kit.env, 'GET', 'clock')).body.now)) / 1000) + 60);
      portal.clock.current = new Date(renewalDay.getTime() + 60_000);
      expect(await portal.settle.execute()).toEqual({ applied: 1, settled: 0 });
      expect(portal.requests.requests.get(atRenewal.id)).toMatchObject({ status: 'applied', appliedQuantity: 48 });
    });
  });
});
