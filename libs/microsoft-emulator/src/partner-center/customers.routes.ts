import type { Request, Response } from 'express';
import { param } from '../identity/authorize-request';
import type { RouteRegistrar } from '../http/route-hooks';
import type { Customer } from '../scenario/scenario';
import type { EmulatorState } from '../state/emulator-state';
import { FAULTS, sendApiFault } from './api-fault';
import { decodeCursor, encodeCursor, pageOfCustomers, parseCustomerFilter, type CustomerFilter } from './customer-paging';
import { callerOf, partnerCenterGate, type PartnerCaller } from './partner-center-auth';
import { collection, customerListItem, customerResource, link } from './resources';

const DEFAULT_PAGE_SIZE = 500;
const MAX_PAGE_SIZE = 1000;

export function registerCustomerRoutes(router: RouteRegistrar, state: EmulatorState): void {
  const gate = partnerCenterGate(state, { throttleGroup: 'customers', requiresAdminAgent: true, allowsIndirectReseller: false });

  // get-a-list-of-customers.md: ?size=N, then links.next (seekOperation=Next + MS-ContinuationToken).
  router.get('/v1/customers', gate, (req, res) => {
    const caller = callerOf(res);
    const query = req.query as Record<string, unknown>;
    const prefix = state.settings.partnerCenter.nextLinkPrefix;
    let size: number;
    let filter: CustomerFilter | undefined;
    let after: [string, string] | undefined;

    if ((param(query, 'seekOperation') ?? '').toLowerCase() === 'next') {
      const token = req.get('ms-continuationtoken');
      if (!token)
        return sendApiFault(req, res, FAULTS.invalidInput('seekOperation=Next needs the MS-ContinuationToken header of links.next.'));
      const cursor = decodeCursor(token);
      if (!cursor || cursor.partnerTenantId !== caller.partner.id)
        return sendApiFault(req, res, FAULTS.invalidInput('The continuation token is not valid.'));
      ({ size, filter, after } = cursor);
    } else {
      const rawSize = param(query, 'size');
      size = rawSize === undefined ? DEFAULT_PAGE_SIZE : Number(rawSize);
      if (!Number.isInteger(size) || size < 0) return sendApiFault(req, res, FAULTS.invalidInput(`'${rawSize}' is not a valid page size.`));
      // The filter samples use size=0: no explicit page size.
      if (size === 0) size = DEFAULT_PAGE_SIZE;
      size = Math.min(size, MAX_PAGE_SIZE);
      const rawFilter = param(query, 'filter');
      if (rawFilter !== undefined) {
        const parsed = parseCustomerFilter(rawFilter);
        if (!parsed.ok) return sendApiFault(req, res, FAULTS.invalidInput(parsed.message));
        filter = parsed.filter;
      }
    }

    const page = pageOfCustomers(state.world.customersOf(caller.partner.id), filter, size, after);
    const selfQuery = new URL(req.originalUrl, 'https://partner.invalid').search;
    const links: Record<string, ReturnType<typeof link>> = { self: link(`${prefix}/customers${selfQuery}`) };
    const extra: Record<string, unknown> = {};
    if (page.next) {
      const token = encodeCursor({ partnerTenantId: caller.partner.id, size, filter, after: page.next });
      links.next = link(`${prefix}/customers?size=${size}&seekOperation=Next`, [{ key: 'MS-ContinuationToken', value: token }]);
      extra.continuationToken = token;
    }
    res.json(
      collection(
        page.items.map((customer) => customerListItem(customer, caller.partner)),
        links,
        extra,
      ),
    );
  });

  router.get('/v1/customers/:customerId', gate, (req, res) => {
    const caller = callerOf(res);
    const customer = customerOfCaller(state, req, res, caller);
    if (customer) res.json(customerResource(customer, caller.partner));
  });
}

// Unknown tenant → 404; a tenant the partner does not sell to → 403 20002 (error-codes.md).
export function customerOfCaller(state: EmulatorState, req: Request, res: Response, caller: PartnerCaller): Customer | undefined {
  const customerId = String(req.params.customerId);
  const customer = state.world.customer(customerId);
  if (!customer) {
    sendApiFault(req, res, FAULTS.customerNotFound(customerId));
    return undefined;
  }
  if (!customer.partnerIds.includes(caller.partner.id)) {
    sendApiFault(req, res, FAULTS.noCommerceRelationship(caller.partner.id, customer.id));
    return undefined;
  }
  return customer;
}
