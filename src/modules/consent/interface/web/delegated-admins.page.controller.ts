import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

@ApiExcludeController()
@Controller('customers/delegated-admins')
export class DelegatedAdminsPageController {
  // The prerequisites a partner must meet before granting Partner Center consent (the product's set-up article).
  @Get()
  @Render('pages/delegated-admins')
  list() {
    return { pageTitle: 'Delegated Admin', tab: 'customers', subTab: 'delegated-admins' };
  }
}
