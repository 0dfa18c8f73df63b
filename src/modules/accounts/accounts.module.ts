import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AuditModule } from '../audit';
import { AuthenticateApiKeyUseCase } from './application/authenticate-api-key.use-case';
import { CreateApiKeyUseCase } from './application/create-api-key.use-case';
import { LoadActorUseCase } from './application/load-actor.use-case';
import { ApiKeyRepository } from './application/ports/api-key.repository';
import { DirectoryProfile } from './application/ports/directory-profile.port';
import { OrganizationRepository } from './application/ports/organization.repository';
import { StaffUserRepository } from './application/ports/staff-user.repository';
import { RevokeApiKeyUseCase } from './application/revoke-api-key.use-case';
import { ChangeStaffRoleUseCase } from './application/change-staff-role.use-case';
import { InviteStaffUserUseCase } from './application/invite-staff-user.use-case';
import { StaffInvitationRepository } from './application/ports/staff-invitation.repository';
import { RemoveStaffUserUseCase } from './application/remove-staff-user.use-case';
import { RevokeInvitationUseCase } from './application/revoke-invitation.use-case';
import { SignInStaffUserUseCase } from './application/sign-in-staff-user.use-case';
import { GraphDirectoryProfileAdapter } from './infrastructure/microsoft/graph-directory-profile.adapter';
import { OrganizationSchema, StaffInvitationSchema, StaffUserSchema } from './infrastructure/persistence/accounts.schema';
import { ApiKeySchema } from './infrastructure/persistence/api-key.schema';
import {
  MikroOrmOrganizationRepository,
  MikroOrmStaffInvitationRepository,
  MikroOrmStaffUserRepository,
} from './infrastructure/persistence/mikro-orm-accounts.repository';
import { MikroOrmApiKeyRepository } from './infrastructure/persistence/mikro-orm-api-key.repository';
import { MeController } from './interface/http/me.controller';
import { ApiKeysPageController } from './interface/web/api-keys.page.controller';
import { AuthPageController } from './interface/web/auth.page.controller';
import { MicrosoftSignInStrategy } from './interface/web/microsoft-sign-in.strategy';
import { RequestAuthGuard } from './interface/web/request-auth.guard';
import { SessionSerializer } from './interface/web/session.serializer';
import { StaffDirectory } from './contracts/staff-directory';
import { PostgresStaffDirectory } from './infrastructure/persistence/postgres-staff-directory';
import { PeoplePageController } from './interface/web/people.page.controller';
import { StaffRoleGuard } from './interface/web/staff-role.guard';

@Module({
  imports: [
    AuditModule,
    MikroOrmModule.forFeature([OrganizationSchema, StaffUserSchema, ApiKeySchema, StaffInvitationSchema]),
    PassportModule.register({ session: true }),
  ],
  controllers: [AuthPageController, MeController, ApiKeysPageController, PeoplePageController],
  providers: [
    { provide: OrganizationRepository, useClass: MikroOrmOrganizationRepository },
    { provide: StaffUserRepository, useClass: MikroOrmStaffUserRepository },
    { provide: DirectoryProfile, useClass: GraphDirectoryProfileAdapter },
    { provide: ApiKeyRepository, useClass: MikroOrmApiKeyRepository },
    { provide: StaffInvitationRepository, useClass: MikroOrmStaffInvitationRepository },
    InviteStaffUserUseCase,
    ChangeStaffRoleUseCase,
    RemoveStaffUserUseCase,
    RevokeInvitationUseCase,
    SignInStaffUserUseCase,
    LoadActorUseCase,
    AuthenticateApiKeyUseCase,
    CreateApiKeyUseCase,
    RevokeApiKeyUseCase,
    MicrosoftSignInStrategy,
    SessionSerializer,
    // The one guard every request passes: session sign-in, or an API key on partner API routes.
    { provide: APP_GUARD, useClass: RequestAuthGuard },
    { provide: StaffDirectory, useClass: PostgresStaffDirectory },
    // Then the role: every staff route needs Viewer to read and Admin to change, unless it declares otherwise
    // (@RequiresRole). Nest runs global guards in the order they are registered; this one fails closed if not.
    { provide: APP_GUARD, useClass: StaffRoleGuard },
  ],
  exports: [StaffDirectory],
})
export class AccountsModule {}
