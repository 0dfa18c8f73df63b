// Accounts: organizations (one per partner Entra directory), their staff users, dashboard sign-in, and the
// API keys partners' systems use for the partner API (authenticated by the request guard registered here).
// Publishes no integration events yet.
export { AccountsModule } from './accounts.module';
export { StaffDirectory, type StaffMember } from './contracts/staff-directory';
