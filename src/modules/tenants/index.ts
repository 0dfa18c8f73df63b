// Tenants: the partner's customer tenants (the Customers tab). The import arrives with the Partner Center
// connection; today the module owns the Customers page.
export { TenantsModule } from './tenants.module';
