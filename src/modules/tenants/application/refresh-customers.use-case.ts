import { Injectable } from '@nestjs/common';
import type { Actor } from '../../../shared/application/actor';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail } from '../../audit';
import { StartOrganizationImportUseCase } from './start-organization-import.use-case';

// "Re-read all customers from Microsoft" on the Customers page: an import for every usable Partner Center account,
// audit logged with who asked and what came of it.
@Injectable()
export class RefreshCustomersUseCase {
  constructor(
    private readonly startImport: StartOrganizationImportUseCase,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
  ) {}

  async execute(actor: Actor): Promise<{ started: number; connected: number }> {
    const result = await this.startImport.execute(actor.organizationId);
    const detail =
      result.connected === 0
        ? 'Nothing was read: no Partner Center account can be used (connect one under Delegated Admin, or Re-grant the one that needs it).'
        : result.started === 0
          ? 'An import was already running; it kept going.'
          : `Reading the customers of ${result.started} Partner Center ${result.started === 1 ? 'account' : 'accounts'} again.`;
    await this.transaction.run(async () => {
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: 'tenants.refresh-requested',
        subject: 'All customers',
        outcome: result.connected === 0 ? 'failure' : 'success',
        detail,
      });
    });
    return result;
  }
}
