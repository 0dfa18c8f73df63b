import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../../shared/application/actor';
import { Clock } from '../../../shared/application/clock';
import { Transaction } from '../../../shared/application/transaction';
import { DomainError } from '../../../shared/domain/domain-error';
import { AuditTrail } from '../../audit';
import { DelegatedAdminQueries, PartnerTypeRecords } from '../../consent';
import { PartnerProgramReader } from '../../partner-center';
import { CustomerTenants } from '../../tenants';
import type { DirectCspTest } from '../domain/direct-csp-test';
import { DirectCspAdminNotFoundError, DirectCspTenantNotFoundError } from '../domain/direct-csp.errors';
import { classifyPartner, describeEvidence, directCspTestResult, type DirectCspTestResult } from '../domain/partner-program';
import { DirectCspRepository } from './ports/direct-csp.repository';

const OUTCOME_WORDS: Record<DirectCspTestResult['outcome'], string> = {
  confirmed: 'Direct CSP confirmed',
  indirect_reseller: 'indirect reseller',
  indirect_provider: 'indirect provider',
  failed: 'failed',
};

// "Test Direct CSP permissions": calls Partner Center as the delegated admin for one of its customers
// (subscriptions with billing detail, invoices, indirect-model relationships). Success marks the delegated admin
// Direct CSP with who, when and the evidence; any other outcome changes nothing but is recorded and explained.
@Injectable()
export class TestDirectCspUseCase {
  constructor(
    private readonly admins: DelegatedAdminQueries,
    private readonly records: PartnerTypeRecords,
    private readonly tenants: CustomerTenants,
    private readonly reader: PartnerProgramReader,
    private readonly tests: DirectCspRepository,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  async execute(input: { actor: Actor; delegatedAdminId: string; tenantId: string }): Promise<DirectCspTest> {
    const { actor } = input;
    const admin = await this.admins.find(actor.organizationId, input.delegatedAdminId);
    if (!admin) throw new DirectCspAdminNotFoundError();
    const tenant = await this.tenants.find(actor.organizationId, input.tenantId);
    if (!tenant || tenant.delegatedAdminId !== admin.id || tenant.status !== 'active') throw new DirectCspTenantNotFoundError();

    let result: DirectCspTestResult;
    let evidence: string[];
    let detectedType: ReturnType<typeof classifyPartner> | null = null;
    try {
      const read = await this.reader.evidence(actor.organizationId, admin.id, tenant.tenantId);
      result = directCspTestResult(read, tenant.companyName);
      evidence = describeEvidence(read, tenant.companyName);
      detectedType = classifyPartner(read);
    } catch (error) {
      // The consent itself no longer works (the vault says why and how to fix it): the test could not run.
      if (!(error instanceof DomainError)) throw error;
      result = { outcome: 'failed', reason: [error.message, error.fix].filter(Boolean).join(' ') };
      evidence = [];
    }

    const now = this.clock.now();
    const test: DirectCspTest = {
      id: randomUUID(),
      organizationId: actor.organizationId,
      delegatedAdminId: admin.id,
      tenantId: tenant.tenantId,
      tenantName: tenant.companyName,
      outcome: result.outcome,
      reason: result.reason,
      evidence,
      testedByUserId: actor.userId,
      testedByName: actor.displayName,
      testedAt: now,
    };
    await this.transaction.run(async () => {
      await this.tests.addTest(test);
      // Partner Center told the type: the Delegated Admin tab says so. Only a confirmation changes the Direct CSP flag.
      if (detectedType?.type)
        await this.records.recordDetected(actor.organizationId, admin.id, detectedType.type, detectedType.detail, now);
      if (result.outcome === 'confirmed') {
        await this.records.confirmDirectCsp(actor.organizationId, admin.id, {
          byUserId: actor.userId,
          byName: actor.displayName,
          at: now,
          evidence: [result.reason, ...evidence].join('\n'),
        });
      }
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: 'direct-csp.tested',
        subject: `${admin.accountUpn} with ${tenant.companyName}`,
        outcome: result.outcome === 'confirmed' ? 'success' : 'failure',
        detail: `${OUTCOME_WORDS[result.outcome]}: ${result.reason}`,
      });
    });
    return test;
  }
}
