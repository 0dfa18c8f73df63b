import { Controller, Get, Redirect, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentActor, type Actor } from '../../../../shared/interface/web/request-actor';

@ApiExcludeController()
@Controller()
export class CustomersPageController {
  @Get()
  @Redirect('/customers', 303)
  home(): void {}

  // Until Partner Center is connected and imported the list is empty; the page says how to fill it.
  @Get('customers')
  @Render('pages/customers')
  customers(@CurrentActor() actor: Actor) {
    return { pageTitle: 'Customers', tab: 'customers', subTab: 'tenants', organizationName: actor.organizationName };
  }
}
