import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { Transaction } from '../../../shared/application/transaction';
import { DomainError } from '../../../shared/domain/domain-error';
import { PartnerTypeRecords } from '../../consent';
import { PartnerProgramReader } from '../../partner-center';
import { classifyPartner, type PartnerClassification } from '../domain/partner-program';

// Right after consent: how is this partner billed? Shown on the Delegated Admin tab. It never switches the Direct
// CSP features on — only a partner admin's test does.
@Injectable()
export class DetectPartnerTypeUseCase {
  constructor(
    private readonly reader: PartnerProgramReader,
    private readonly records: PartnerTypeRecords,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  async execute(organizationId: string, delegatedAdminId: string): Promise<PartnerClassification> {
    let classification: PartnerClassification;
    try {
      classification = classifyPartner(await this.reader.evidence(organizationId, delegatedAdminId, null));
    } catch (error) {
      // The consent stopped working meanwhile: the delegated admin already says so; the type stays unknown.
      if (!(error instanceof DomainError)) throw error;
      classification = { type: null, detail: error.message };
    }
    await this.transaction.run(() =>
      this.records.recordDetected(organizationId, delegatedAdminId, classification.type, classification.detail, this.clock.now()),
    );
    return classification;
  }
}
