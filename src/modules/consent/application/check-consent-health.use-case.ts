import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { ReconsentRequiredError } from '../domain/consent.errors';
import { MicrosoftTokenVault } from './microsoft-token-vault';
import { RefreshTokenStore, type StaleToken } from './ports/delegated-admin.repository';

// Refresh tokens expire after 90 days without use (AADSTS700082). Redeeming every token not rotated for two
// weeks keeps idle connections alive with a wide margin, and finds broken ones before an import needs them.
export const ROTATE_AFTER_DAYS = 14;

export interface ConsentHealthReport {
  checked: number;
  renewed: number;
  needReconsent: number;
  unavailable: number;
}

@Injectable()
export class CheckConsentHealthUseCase {
  private readonly logger = new Logger('ConsentHealth');

  constructor(
    private readonly tokens: RefreshTokenStore,
    private readonly vault: MicrosoftTokenVault,
    private readonly clock: Clock,
  ) {}

  // A system job: it walks every organization's connections, each redeemed within its own organization.
  async execute(): Promise<ConsentHealthReport> {
    const before = new Date(this.clock.now().getTime() - ROTATE_AFTER_DAYS * 24 * 3600 * 1000);
    const report: ConsentHealthReport = { checked: 0, renewed: 0, needReconsent: 0, unavailable: 0 };
    let after: StaleToken | undefined;
    for (;;) {
      const batch = await this.tokens.listStale(before, 100, after);
      if (batch.length === 0) break;
      after = batch[batch.length - 1];
      for (const { organizationId, delegatedAdminId } of batch) {
        report.checked++;
        try {
          await this.vault.refresh(organizationId, delegatedAdminId);
          report.renewed++;
        } catch (error) {
          if (error instanceof ReconsentRequiredError) report.needReconsent++;
          else {
            report.unavailable++;
            this.logger.warn({ err: error, delegatedAdminId }, 'Consent health check could not reach Microsoft; will retry tomorrow');
          }
        }
      }
    }
    this.logger.log(report, 'Consent health check finished');
    return report;
  }
}
