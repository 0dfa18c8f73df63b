import { Controller, Get } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { STAFF_ROLES, type StaffRole } from '../../../../shared/domain/staff-role';
import { CurrentActor, type Actor } from '../../../../shared/interface/web/request-actor';

class MeResponse {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ example: 'Contoso Admin' }) displayName: string;
  @ApiProperty({ example: 'admin@contoso-partners.example' }) userPrincipalName: string;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty({ example: 'Contoso Partners' }) organizationName: string;
  @ApiProperty({
    enum: STAFF_ROLES,
    example: 'owner',
    description:
      'What the user may do: owner (everything, people too), admin (everything but people), billing (billing, approvals, licensing; reads elsewhere), viewer (reads only)',
  })
  role: StaffRole;
}

@ApiTags('account')
@ApiCookieAuth('session')
@Controller('api/me')
export class MeController {
  @Get()
  @ApiOperation({ summary: 'The signed-in staff user and their organization' })
  @ApiOkResponse({ type: MeResponse })
  @ApiUnauthorizedResponse({ description: 'No session: problem+json with code AUTH.SIGN_IN_REQUIRED' })
  me(@CurrentActor() actor: Actor): MeResponse {
    return {
      userId: actor.userId,
      displayName: actor.displayName,
      userPrincipalName: actor.userPrincipalName,
      organizationId: actor.organizationId,
      organizationName: actor.organizationName,
      role: actor.role,
    };
  }
}
