import { param } from '../identity/authorize-request';
import type { RouteRegistrar } from '../http/route-hooks';
import type { EmulatorState } from '../state/emulator-state';
import { FAULTS, sendApiFault } from './api-fault';
import { callerOf, partnerCenterGate } from './partner-center-auth';
import {
  collection,
  invoiceResource,
  link,
  mpnProfileResource,
  organizationProfileResource,
  partnerRelationshipResource,
} from './resources';

const DEFAULT_INVOICE_PAGE = 200;

// The partner's own resources: invoices (billing), the indirect model's relationships, profiles.
export function registerPartnerRoutes(router: RouteRegistrar, state: EmulatorState): void {
  const invoicesGate = partnerCenterGate(state, { throttleGroup: 'invoices', requiresAdminAgent: true, allowsIndirectReseller: false });
  // retrieve-a-list-of-indirect-resellers.md: resellers call IsIndirectResellerOf to see their providers.
  const relationshipsGate = partnerCenterGate(state, {
    throttleGroup: 'relationships',
    requiresAdminAgent: true,
    allowsIndirectReseller: true,
  });
  const profilesGate = partnerCenterGate(state, { throttleGroup: 'profiles', requiresAdminAgent: false, allowsIndirectReseller: true });

  // Microsoft bills direct-bill partners and indirect providers; resellers are refused by the gate.
  router.get('/v1/invoices', invoicesGate, (req, res) => {
    const caller = callerOf(res);
    const query = req.query as Record<string, unknown>;
    const size = Number(param(query, 'size') ?? DEFAULT_INVOICE_PAGE);
    const offset = Number(param(query, 'offset') ?? 0);
    if (!Number.isInteger(size) || size < 1 || !Number.isInteger(offset) || offset < 0) {
      return sendApiFault(req, res, FAULTS.invalidInput('"size" must be a positive integer and "offset" a non-negative integer.'));
    }
    const invoices = state.world.scenario.invoices
      .filter((invoice) => invoice.partnerTenantId === caller.partner.id)
      .sort((a, b) => (a.invoiceDate < b.invoiceDate ? 1 : -1));
    const page = invoices.slice(offset, offset + size);
    const prefix = state.settings.partnerCenter.nextLinkPrefix;
    const links: Record<string, ReturnType<typeof link>> = { self: link(`${prefix}/invoices?size=${size}&offset=${offset}`) };
    if (offset + size < invoices.length) links.next = link(`${prefix}/invoices?size=${size}&offset=${offset + size}`);
    res.json(collection(page.map(invoiceResource), links));
  });

  router.get('/v1/relationships', relationshipsGate, (req, res) => {
    const caller = callerOf(res);
    const type = (param(req.query as Record<string, unknown>, 'relationship_type') ?? '').toLowerCase();
    const relationships = state.world.scenario.indirectRelationships;
    if (type === 'isindirectcloudsolutionproviderof') {
      const items = relationships
        .filter((relationship) => relationship.providerTenantId === caller.partner.id)
        .flatMap((relationship) => {
          const reseller = state.world.tenant(relationship.resellerTenantId);
          return reseller ? [partnerRelationshipResource(reseller, relationship, 'is_indirect_cloud_solution_provider_of')] : [];
        });
      return res.json(collection(items));
    }
    if (type === 'isindirectresellerof') {
      const items = relationships
        .filter((relationship) => relationship.resellerTenantId === caller.partner.id)
        .flatMap((relationship) => {
          const provider = state.world.tenant(relationship.providerTenantId);
          return provider ? [partnerRelationshipResource(provider, relationship, 'is_indirect_reseller_of')] : [];
        });
      return res.json(collection(items));
    }
    sendApiFault(req, res, FAULTS.invalidInput("'relationship_type' must be IsIndirectCloudSolutionProviderOf or IsIndirectResellerOf."));
  });

  router.get('/v1/profiles/organization', profilesGate, (_req, res) => {
    res.json(organizationProfileResource(callerOf(res).partner));
  });

  router.get('/v1/profiles/mpn', profilesGate, (_req, res) => {
    res.json(mpnProfileResource(callerOf(res).partner));
  });
}
