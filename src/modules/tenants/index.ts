// Tenants: the partner's customer tenants (the Customers tab), their GDAP status, and the import that reads them
// from Partner Center (on consent.granted and "Re-read all customers from Microsoft"). Publishes tenants.tenant-licences-read; CustomerTenants
// is its read facade.
export { TenantsModule } from './tenants.module';
export * from './events';
export * from './contracts/customer-tenants';
export * from './contracts/tenant-health';
