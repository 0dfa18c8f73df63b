import type { PsaConnection } from '../../domain/psa-connection';
import type { PsaAgreement, PsaCompany, PsaProduct } from '../../domain/psa-mapping';
import type {
  AutotaskContractService,
  AutotaskWrite,
  BillingPeriod,
  ConnectWiseAddition,
  ConnectWiseWrite,
} from '../../domain/psa-write-plan';

// What one agreement (ConnectWise) or contract (Autotask) holds now, read before planning a write.
export type PsaAgreementState =
  | { kind: 'connectwise'; additions: ConnectWiseAddition[]; period: BillingPeriod; prorates: boolean }
  | { kind: 'autotask'; services: AutotaskContractService[]; period: BillingPeriod; prorates: boolean };

export type PsaWrite = { kind: 'connectwise'; write: ConnectWiseWrite } | { kind: 'autotask'; write: AutotaskWrite };

// The PSA as the sync sees it (ConnectWise or Autotask behind the connection's kind). Every failure is a
// PsaRefusedError in plain words (retryable: rate limits, PSA outages and the network; the job tries again).
export abstract class PsaGateway {
  // Connects and reads one record of each area the sync needs, so a missing permission is named at once.
  // Answers the Autotask zone found, to keep with the connection.
  abstract test(connection: Pick<PsaConnection, 'kind' | 'credentials'>): Promise<{ zoneUrl?: string }>;
  abstract companies(connection: PsaConnection): Promise<PsaCompany[]>;
  // Every active agreement (ConnectWise) or recurring-service contract (Autotask), with its company.
  abstract agreements(connection: PsaConnection): Promise<PsaAgreement[]>;
  abstract products(connection: PsaConnection): Promise<PsaProduct[]>;
  // The agreement's lines for the given PSA products, in force on `day` (YYYY-MM-DD).
  abstract agreementState(
    connection: PsaConnection,
    agreementId: string,
    productIds: readonly string[],
    day: string,
  ): Promise<PsaAgreementState>;
  // One write; answers the PSA's answer in words ("addition 1234 created").
  abstract apply(connection: PsaConnection, agreementId: string, write: PsaWrite): Promise<string>;
}
