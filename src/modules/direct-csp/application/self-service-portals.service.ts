import { Injectable } from '@nestjs/common';
import { isGuid } from '../../../shared/domain/guid';
import { SelfServicePortals } from '../contracts/self-service-portals';
import { DirectCspRepository } from './ports/direct-csp.repository';

@Injectable()
export class SelfServicePortalsService extends SelfServicePortals {
  constructor(private readonly settings: DirectCspRepository) {
    super();
  }

  // A tenant id is a GUID: anything else names no tenant (rather than failing the query).
  async organizationsWithPortal(tenantId: string): Promise<string[]> {
    return isGuid(tenantId) ? this.settings.organizationsWithPortal(tenantId.toLowerCase()) : [];
  }

  async isEnabled(organizationId: string, tenantId: string): Promise<boolean> {
    if (!isGuid(tenantId)) return false;
    return (await this.settings.portalSetting(organizationId, tenantId.toLowerCase()))?.enabled ?? false;
  }
}
