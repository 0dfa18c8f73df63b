// Wire clients for Microsoft Entra ID, Partner Center and Graph. Knows nothing of Sync 365's domain.
export { MicrosoftApiError } from './http/microsoft-api.error';
export { GraphClient, type GraphClientOptions } from './graph/graph.client';
export type { GraphOrganization, GraphVerifiedDomain, GraphCollection } from './graph/graph.types';
