// What Partner Center tells about how a partner is billed (FACTS.md §4): the signals, read as one delegated admin,
// that tell a direct-bill partner from an indirect provider or an indirect reseller. Deciding what they mean is
// the direct-csp module's business; this port only reads them.

import type { PartnerProgramEvidence } from '../../../shared/domain/partner-program';
// The signals themselves are shared-kernel values (src/shared/domain/partner-program.ts).
export type {
  OtherPartner,
  PartnerProgramEvidence,
  ProgramSignal,
  TenantSubscriptionsSignal,
} from '../../../shared/domain/partner-program';

export abstract class PartnerProgramReader {
  // Reads every signal, each on its own: one refused read does not hide the others. Throws only what stops all
  // of them (the consent no longer works).
  abstract evidence(organizationId: string, delegatedAdminId: string, customerTenantId: string | null): Promise<PartnerProgramEvidence>;
}
