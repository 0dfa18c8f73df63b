import type {
  GraphDelegatedAdminAccessAssignment,
  GraphDelegatedAdminRelationship,
  GraphDirectoryObject,
  GraphUnifiedRole,
} from '../../../../../libs/microsoft/src';
import type { GdapAssignmentSnapshot, GdapRelationshipSnapshot } from '../../contracts/partner-center-directory';
import { isoDateTime, lowerGuidOrText, text, UnexpectedWireShapeError } from './wire-value.mapper';

// Graph's own member for a value it does not (yet) name (FACTS.md §3.4).
const UNKNOWN_STATUS = 'unknownFutureValue';
// Relationships that can no longer grant anything: their access assignments are not read (one Graph call less
// per tenant, and Graph may already have deleted them).
const ENDED = new Set(['expired', 'terminated']);

// The relationships with this customer. The request already filters on customer/tenantId (supported by Graph,
// FACTS.md §3.4); filtering again costs nothing and keeps another customer's roles out if a filter is ignored.
export function relationshipsOfCustomer(
  relationships: GraphDelegatedAdminRelationship[],
  customerTenantId: string,
): GdapRelationshipSnapshot[] {
  const tenantId = customerTenantId.toLowerCase();
  return relationships.filter((relationship) => lowerGuidOrText(relationship.customer?.tenantId) === tenantId).map(toGdapRelationship);
}

export function toGdapRelationship(relationship: GraphDelegatedAdminRelationship): GdapRelationshipSnapshot {
  const id = text(relationship.id);
  if (!id) throw new UnexpectedWireShapeError('a GDAP relationship has no id');
  return {
    id,
    displayName: text(relationship.displayName) ?? id,
    // Graph's camelCase members are kept as they are ('approvalPending'), as the contract documents.
    status: text(relationship.status) ?? UNKNOWN_STATUS,
    endDateTime: isoDateTime(relationship.endDateTime),
    roleIds: roleIdsOf(relationship.accessDetails?.unifiedRoles),
  };
}

export function mayGrantAccess(relationship: GdapRelationshipSnapshot): boolean {
  return !ENDED.has(relationship.status);
}

export function toGdapAssignment(relationshipId: string, assignment: GraphDelegatedAdminAccessAssignment): GdapAssignmentSnapshot {
  return {
    relationshipId,
    status: text(assignment.status) ?? UNKNOWN_STATUS,
    // The partner security group holding the roles; compared with the service account's groups below.
    groupId: lowerGuidOrText(assignment.accessContainer?.accessContainerId) ?? '',
    roleIds: roleIdsOf(assignment.accessDetails?.unifiedRoles),
  };
}

// transitiveMemberOf lists directory roles and administrative units beside groups; only groups can hold a
// GDAP access assignment. An item without @odata.type is kept: a stray id can never match an assignment.
export function securityGroupIds(memberOf: GraphDirectoryObject[]): string[] {
  const ids = memberOf
    .filter((item) => item['@odata.type'] === undefined || item['@odata.type'] === '#microsoft.graph.group')
    .map((item) => lowerGuidOrText(item.id))
    .filter((id): id is string => id !== undefined);
  return [...new Set(ids)];
}

// Role template ids (FACTS.md §3.5), lower case and once each.
function roleIdsOf(roles: GraphUnifiedRole[] | undefined): string[] {
  const ids = (roles ?? []).map((role) => lowerGuidOrText(role?.roleDefinitionId)).filter((id): id is string => id !== undefined);
  return [...new Set(ids)];
}
