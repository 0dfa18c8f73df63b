// Portal: the end-user licence portal of Direct CSP partners' customers (their people see licences and request
// seat changes; the partner approves, and Sync 365 applies them through Partner Center). Publishes
// portal.change-requested, portal.change-decided and portal.change-completed.
export { PortalModule } from './portal.module';
export * from './events';
