import type { Tenant } from '../scenario/scenario';
import type { EmulatorState } from '../state/emulator-state';

// `{tenant}` in a login.microsoftonline.com path: `common` / `organizations` accept any work
// account; a tenant GUID or one of its domains pins the sign-in to that directory.
export type TenantTarget = { kind: 'any'; segment: string } | { kind: 'tenant'; segment: string; tenant: Tenant };

export function resolveTenant(state: EmulatorState, segment: string): TenantTarget | undefined {
  const lower = segment.toLowerCase();
  if (lower === 'common' || lower === 'organizations') return { kind: 'any', segment: lower };
  const tenant = state.world.tenant(lower) ?? state.world.tenantByDomain(lower);
  return tenant ? { kind: 'tenant', segment, tenant } : undefined;
}

// Microsoft's v2 issuer: a template on common/organizations, concrete for a tenant.
export function issuerFor(state: EmulatorState, tenantId: string): string {
  return `${state.baseUrl}/${tenantId}/v2.0`;
}

export const ISSUER_TEMPLATE_TENANT = '{tenantid}';

export function tenantNotFoundMessage(segment: string): string {
  return (
    `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. ` +
    'Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.'
  );
}
