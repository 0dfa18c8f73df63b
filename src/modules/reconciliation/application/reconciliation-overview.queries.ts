import { Injectable } from '@nestjs/common';
import { ReconciliationOverview, type OpenDiscrepanciesView } from '../contracts/reconciliation-overview';
import { DiscrepancyQueries } from './reconciliation-queries';

@Injectable()
export class ReconciliationOverviewQueries extends ReconciliationOverview {
  constructor(private readonly queries: DiscrepancyQueries) {
    super();
  }

  async openDiscrepancies(organizationId: string): Promise<OpenDiscrepanciesView[]> {
    // The Licensing tab's own read (the same latest runs and counts), without its items.
    const { countsByKind } = await this.queries.latestDiscrepancies(organizationId, { limit: 0 });
    return countsByKind;
  }
}
