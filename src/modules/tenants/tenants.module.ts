import { Module } from '@nestjs/common';
import { CustomersPageController } from './interface/web/customers.page.controller';

@Module({ controllers: [CustomersPageController] })
export class TenantsModule {}
