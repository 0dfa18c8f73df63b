import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { AuditTrail } from './application/audit-trail';
import { AuditEntrySchema } from './infrastructure/audit-entry.schema';
import { AuditLogQueries } from './application/audit-log.queries';
import { MikroOrmAuditLogQueries, MikroOrmAuditTrail } from './infrastructure/mikro-orm-audit-trail';
import { AuditLogPageController } from './interface/web/audit-log.page.controller';

@Module({
  imports: [MikroOrmModule.forFeature([AuditEntrySchema])],
  controllers: [AuditLogPageController],
  providers: [
    { provide: AuditTrail, useClass: MikroOrmAuditTrail },
    { provide: AuditLogQueries, useClass: MikroOrmAuditLogQueries },
  ],
  exports: [AuditTrail],
})
export class AuditModule {}
