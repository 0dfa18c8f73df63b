// Accounts: organizations (one per partner Entra directory), their staff users, dashboard sign-in, and the
// API keys partners' systems use for the partner API (authenticated by the request guard registered here).
// Staff roles (Owner, Admin, Billing, Viewer) are checked on every request by the role guard registered here;
// Settings → People invites colleagues. Publishes accounts.invitation-created (events.ts).
export { AccountsModule } from './accounts.module';
export { StaffDirectory, type StaffMember } from './contracts/staff-directory';
