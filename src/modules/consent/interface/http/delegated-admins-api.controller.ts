import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiGuidParam, ApiInvalidParameterResponse, parseGuid, parseQuery } from '../../../../shared/interface/http/api-params';
import { CurrentApiCaller, PartnerApi, type ApiCaller } from '../../../../shared/interface/http/partner-api';
import { ProblemResponse } from '../../../../shared/interface/http/problem.dto';
import { DelegatedAdminRepository } from '../../application/ports/delegated-admin.repository';
import { DelegatedAdminNotFoundError } from '../../domain/consent.errors';
import type { DelegatedAdmin } from '../../domain/delegated-admin';
import { DelegatedAdminList, DelegatedAdminResponse } from './delegated-admins-api.dto';

// The partner API's connected Partner Center accounts (what the Delegated Admin tab lists). Never a token.
@ApiTags('delegated admins')
@Controller('api/v1/delegated-admins')
export class DelegatedAdminsApiController {
  constructor(private readonly admins: DelegatedAdminRepository) {}

  @Get()
  @PartnerApi('read:tenants')
  @ApiOperation({
    operationId: 'listDelegatedAdmins',
    summary: 'Connected Partner Center accounts',
    description: 'In the order they were connected.',
  })
  @ApiOkResponse({ type: DelegatedAdminList })
  @ApiInvalidParameterResponse()
  async list(@CurrentApiCaller() caller: ApiCaller, @Query() raw: Record<string, unknown>): Promise<DelegatedAdminList> {
    parseQuery({}, raw);
    return { items: (await this.admins.listByOrganization(caller.organizationId)).map(toResponse) };
  }

  @Get(':delegatedAdminId')
  @PartnerApi('read:tenants')
  @ApiOperation({ operationId: 'getDelegatedAdmin', summary: 'One connected Partner Center account and its status' })
  @ApiGuidParam('delegatedAdminId', 'The id of the delegated admin')
  @ApiOkResponse({ type: DelegatedAdminResponse })
  @ApiInvalidParameterResponse()
  @ApiNotFoundResponse({
    type: ProblemResponse,
    description: 'No such delegated admin in your organization (code CONSENT.DELEGATED_ADMIN_NOT_FOUND).',
  })
  async get(
    @CurrentApiCaller() caller: ApiCaller,
    @Param('delegatedAdminId') delegatedAdminId: string,
    @Query() raw: Record<string, unknown>,
  ): Promise<DelegatedAdminResponse> {
    parseQuery({}, raw);
    const admin = await this.admins.findById(caller.organizationId, parseGuid('delegatedAdminId', delegatedAdminId));
    if (!admin) throw new DelegatedAdminNotFoundError();
    return toResponse(admin);
  }
}

function toResponse(admin: DelegatedAdmin): DelegatedAdminResponse {
  return {
    id: admin.id,
    accountUpn: admin.accountUpn,
    accountDisplayName: admin.accountDisplayName,
    partnerTenantId: admin.partnerTenantId,
    partnerDirectoryName: admin.partnerDirectoryName,
    status: admin.status,
    statusReason: admin.statusReason,
    partnerType: admin.partnerType,
    partnerTypeDetail: admin.partnerTypeDetail,
    directCsp: admin.directCsp === 'yes',
    directCspConfirmedAt: admin.directCspConfirmedAt?.toISOString() ?? null,
    grantedAt: admin.grantedAt.toISOString(),
    grantedByName: admin.grantedByName,
    lastUsedAt: admin.lastUsedAt?.toISOString() ?? null,
  };
}
