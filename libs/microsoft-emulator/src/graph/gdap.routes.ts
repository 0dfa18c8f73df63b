import { createHash } from 'node:crypto';
import type { Response } from 'express';
import type { RouteRegistrar } from '../http/route-hooks';
import { param } from '../identity/authorize-request';
import type { GdapAccessAssignment, GdapRelationship } from '../scenario/scenario';
import type { EmulatorState } from '../state/emulator-state';
import { graphCallerOf, graphGate, SCOPES } from './graph-auth';
import { sendGraphError } from './graph-error';
import { collectionPage, parseEqualityFilter, parsePaging } from './odata';

const MAX_TOP = 300; // tenantrelationship-list-delegatedadminrelationships.md: $top up to 300

// GDAP, read with a token for the partner's own directory.
export function registerGdapRoutes(router: RouteRegistrar, state: EmulatorState): void {
  const gate = graphGate(state, { scopes: SCOPES.delegatedAdmin, throttleGroup: 'tenantRelationships', directoryRead: false });
  const base = '/v1.0/tenantRelationships/delegatedAdminRelationships';

  router.get(base, gate, (req, res) => {
    const paging = parsePaging(req, 100, MAX_TOP);
    if (!paging.ok) return sendGraphError(state, req, res, 400, 'BadRequest', paging.message);
    const filter = parseEqualityFilter<GdapRelationship>(param(req.query as Record<string, unknown>, '$filter'), {
      status: (relationship) => relationship.status,
      displayName: (relationship) => relationship.displayName,
      id: (relationship) => relationship.id,
      'customer/tenantId': (relationship) => relationship.customerTenantId,
      'customer/displayName': (relationship) => relationship.customerDisplayName,
    });
    if (!filter.ok) return sendGraphError(state, req, res, 400, 'BadRequest', filter.message);
    // A filter on one customer (the app asks once per customer tenant) starts from that partner + customer's few
    // relationships instead of scanning all of the partner's (10,000 at 10,000 customers, per call); same answer, same order.
    const customerTenantId = customerOfFilter(param(req.query as Record<string, unknown>, '$filter'));
    const relationships = (
      customerTenantId !== undefined ? visibleRelationshipsWith(state, res, customerTenantId) : visibleRelationships(state, res)
    ).filter(filter.value);
    res.json(
      collectionPage(
        state,
        req,
        `${state.baseUrl}/v1.0/tenantRelationships/$metadata#delegatedAdminRelationships`,
        relationships,
        paging.value,
        relationshipResource,
      ),
    );
  });

  router.get(`${base}/:relationshipId`, gate, (req, res) => {
    const relationship = visibleRelationship(state, res, String(req.params.relationshipId));
    if (!relationship) return notFound(state, req, res, String(req.params.relationshipId));
    res.json({
      '@odata.context': `${state.baseUrl}/v1.0/tenantRelationships/$metadata#delegatedAdminRelationships/$entity`,
      ...relationshipResource(relationship),
    });
  });

  router.get(`${base}/:relationshipId/accessAssignments`, gate, (req, res) => {
    const relationship = visibleRelationship(state, res, String(req.params.relationshipId));
    if (!relationship) return notFound(state, req, res, String(req.params.relationshipId));
    const paging = parsePaging(req, 100, MAX_TOP);
    if (!paging.ok) return sendGraphError(state, req, res, 400, 'BadRequest', paging.message);
    const filter = parseEqualityFilter<GdapAccessAssignment>(param(req.query as Record<string, unknown>, '$filter'), {
      status: (assignment) => assignment.status,
      'accessContainer/accessContainerId': (assignment) => assignment.securityGroupId,
    });
    if (!filter.ok) return sendGraphError(state, req, res, 400, 'BadRequest', filter.message);
    const assignments = relationship.accessAssignments.filter(filter.value);
    res.json(
      collectionPage(
        state,
        req,
        `${state.baseUrl}/v1.0/tenantRelationships/$metadata#accessAssignments`,
        assignments,
        paging.value,
        accessAssignmentResource,
      ),
    );
  });

  // tenantrelationship-list-delegatedadmincustomers.md: customers with at least one active relationship.
  router.get('/v1.0/tenantRelationships/delegatedAdminCustomers', gate, (req, res) => {
    const paging = parsePaging(req, 100, MAX_TOP);
    if (!paging.ok) return sendGraphError(state, req, res, 400, 'BadRequest', paging.message);
    const customers = new Map<string, GdapRelationship>();
    for (const relationship of visibleRelationships(state, res)) {
      if (relationship.status === 'active' && !customers.has(relationship.customerTenantId))
        customers.set(relationship.customerTenantId, relationship);
    }
    res.json(
      collectionPage(
        state,
        req,
        `${state.baseUrl}/v1.0/tenantRelationships/$metadata#delegatedAdminCustomers`,
        [...customers.values()],
        paging.value,
        (relationship) => ({
          id: relationship.customerTenantId,
          tenantId: relationship.customerTenantId,
          displayName: relationship.customerDisplayName,
        }),
      ),
    );
  });
}

// A Microsoft maintainer (microsoft-graph-docs-contrib#8921): without Admin Agent membership these APIs
// answer 200 with nothing in them, "by design".
function visibleRelationships(state: EmulatorState, res: Response): GdapRelationship[] {
  return callerSeesRelationships(res) ? state.world.relationshipsOf(graphCallerOf(res).tenantId) : [];
}

function visibleRelationshipsWith(state: EmulatorState, res: Response, customerTenantId: string): GdapRelationship[] {
  return callerSeesRelationships(res) ? state.world.relationshipsBetween(graphCallerOf(res).tenantId, customerTenantId) : [];
}

// The customer/tenantId of a filter made of `eq` clauses joined by `and` (the only filters parseEqualityFilter accepts),
// when it has one: every relationship it matches is then one of that customer's.
function customerOfFilter(raw: string | undefined): string | undefined {
  const match = raw === undefined ? null : /(?:^|\s+and\s+)\s*customer\/tenantId\s+eq\s+'((?:[^']|'')*)'\s*(?:\s+and\s+|$)/i.exec(raw);
  return match ? match[1].replace(/''/g, "'") : undefined;
}

// By id without listing all of the partner's relationships (the app asks once per relationship).
function visibleRelationship(state: EmulatorState, res: Response, id: string): GdapRelationship | undefined {
  const relationship = state.world.relationship(id);
  return relationship &&
    callerSeesRelationships(res) &&
    relationship.partnerTenantId.toLowerCase() === graphCallerOf(res).tenantId.toLowerCase()
    ? relationship
    : undefined;
}

function callerSeesRelationships(res: Response): boolean {
  const { user, foreign } = graphCallerOf(res);
  return !!user && !foreign && user.roles.some((role) => role === 'AdminAgent' || role === 'GlobalAdministrator');
}

function notFound(state: EmulatorState, req: Parameters<typeof sendGraphError>[1], res: Response, id: string): void {
  sendGraphError(state, req, res, 404, 'Request_ResourceNotFound', `The delegated admin relationship '${id}' was not found.`);
}

function relationshipResource(relationship: GdapRelationship): Record<string, unknown> {
  return {
    '@odata.type': `#microsoft.graph.${relationship.kind}`,
    '@odata.etag': etag(`${relationship.id}|${relationship.status}|${relationship.lastModifiedDateTime}`),
    id: relationship.id,
    displayName: relationship.displayName,
    duration: relationship.duration,
    customer: { tenantId: relationship.customerTenantId, displayName: relationship.customerDisplayName },
    accessDetails: { unifiedRoles: relationship.roleDefinitionIds.map((roleDefinitionId) => ({ roleDefinitionId })) },
    status: relationship.status,
    autoExtendDuration: relationship.autoExtendDuration,
    createdDateTime: relationship.createdDateTime,
    lastModifiedDateTime: relationship.lastModifiedDateTime,
    activatedDateTime: relationship.activatedDateTime,
    endDateTime: relationship.endDateTime,
    ...(relationship.kind === 'resellerDelegatedAdminRelationship'
      ? {
          isPartnerConsentPending: relationship.isPartnerConsentPending ?? false,
          indirectProviderTenantId: relationship.indirectProviderTenantId ?? null,
        }
      : {}),
  };
}

function accessAssignmentResource(assignment: GdapAccessAssignment): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.delegatedAdminAccessAssignment',
    '@odata.etag': etag(`${assignment.id}|${assignment.status}|${assignment.lastModifiedDateTime}`),
    id: assignment.id,
    status: assignment.status,
    createdDateTime: assignment.createdDateTime,
    lastModifiedDateTime: assignment.lastModifiedDateTime,
    accessContainer: { accessContainerId: assignment.securityGroupId, accessContainerType: 'securityGroup' },
    accessDetails: { unifiedRoles: assignment.roleDefinitionIds.map((roleDefinitionId) => ({ roleDefinitionId })) },
  };
}

// Shaped like Microsoft's: W/"<base64 of '"xxxxxxxx-0000-0200-0000-xxxxxxxxxxxx"'>".
function etag(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `W/"${Buffer.from(`'"${hex.slice(0, 8)}-0000-0200-0000-${hex.slice(8, 20)}"'`).toString('base64')}"`;
}
