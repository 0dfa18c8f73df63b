import { Module } from '@nestjs/common';
import { DelegatedAdminsPageController } from './interface/web/delegated-admins.page.controller';

@Module({ controllers: [DelegatedAdminsPageController] })
export class ConsentModule {}
