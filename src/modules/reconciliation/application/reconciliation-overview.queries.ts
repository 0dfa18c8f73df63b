import { Injectable } from '@nestjs/common';
import { ReconciliationOverview, type ExclusionView, type OpenDiscrepanciesView } from '../contracts/reconciliation-overview';
import { ExclusionsRepository } from './ports/exclusions.repository';
import { DiscrepancyQueries } from './reconciliation-queries';

@Injectable()
export class ReconciliationOverviewQueries extends ReconciliationOverview {
  constructor(
    private readonly queries: DiscrepancyQueries,
    private readonly exclusionsRepository: ExclusionsRepository,
  ) {
    super();
  }

  async openDiscrepancies(organizationId: string): Promise<OpenDiscrepanciesView[]> {
    // The Licensing tab's own read (the same latest runs and counts), without its items.
    const { countsByKind } = await this.queries.latestDiscrepancies(organizationId, { limit: 0 });
    return countsByKind;
  }

  async exclusions(organizationId: string): Promise<ExclusionView[]> {
    return (await this.exclusionsRepository.list(organizationId)).map(({ tenantId, skuId, rule }) => ({ tenantId, skuId, rule }));
  }
}
