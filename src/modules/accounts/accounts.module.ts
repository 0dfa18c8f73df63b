import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { DirectoryProfile } from './application/ports/directory-profile.port';
import { OrganizationRepository } from './application/ports/organization.repository';
import { StaffUserRepository } from './application/ports/staff-user.repository';
import { LoadActorUseCase } from './application/load-actor.use-case';
import { SignInStaffUserUseCase } from './application/sign-in-staff-user.use-case';
import { GraphDirectoryProfileAdapter } from './infrastructure/microsoft/graph-directory-profile.adapter';
import { OrganizationSchema, StaffUserSchema } from './infrastructure/persistence/accounts.schema';
import { MikroOrmOrganizationRepository, MikroOrmStaffUserRepository } from './infrastructure/persistence/mikro-orm-accounts.repository';
import { MeController } from './interface/http/me.controller';
import { AuthPageController } from './interface/web/auth.page.controller';
import { MicrosoftSignInStrategy } from './interface/web/microsoft-sign-in.strategy';
import { SessionAuthGuard } from './interface/web/session-auth.guard';
import { SessionSerializer } from './interface/web/session.serializer';

@Module({
  imports: [MikroOrmModule.forFeature([OrganizationSchema, StaffUserSchema]), PassportModule.register({ session: true })],
  controllers: [AuthPageController, MeController],
  providers: [
    { provide: OrganizationRepository, useClass: MikroOrmOrganizationRepository },
    { provide: StaffUserRepository, useClass: MikroOrmStaffUserRepository },
    { provide: DirectoryProfile, useClass: GraphDirectoryProfileAdapter },
    SignInStaffUserUseCase,
    LoadActorUseCase,
    MicrosoftSignInStrategy,
    SessionSerializer,
    { provide: APP_GUARD, useClass: SessionAuthGuard },
  ],
})
export class AccountsModule {}
