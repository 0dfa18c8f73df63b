// Accounts: organizations (one per partner Entra directory), their staff users, and dashboard sign-in.
// Publishes no integration events yet.
export { AccountsModule } from './accounts.module';
