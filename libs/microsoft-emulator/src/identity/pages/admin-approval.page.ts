import { escapeHtml } from '../../http/html';
import { hiddenFlowField, layoutPage } from './layout.page';

export interface AdminApprovalPageModel {
  flowId: string;
  action: string;
  appDisplayName: string;
  userPrincipalName: string;
  message: string; // the AADSTS90094 text
}

// What Entra shows a user who may not consent (user consent disabled in the directory): "Need admin
// approval", a way back to the app without consent, and a way to sign in as an admin instead.
export function adminApprovalPage(model: AdminApprovalPageModel): string {
  return layoutPage({
    title: 'Need admin approval',
    page: 'admin-approval',
    body: `
<div class="identity">${escapeHtml(model.userPrincipalName)}</div>
<h1>Need admin approval</h1>
<p><strong class="app-name">${escapeHtml(model.appDisplayName)}</strong><br><span class="small">unverified</span></p>
<p>${escapeHtml(model.appDisplayName)} needs permission to access resources in your organization that only an admin can grant. Please ask an admin to grant permission to this app before you can use it.</p>
<div id="error" class="error" role="alert">${escapeHtml(model.message)}</div>
<form method="post" action="${escapeHtml(model.action)}">
  ${hiddenFlowField(model.flowId)}
  <div class="actions">
    <button type="submit" name="decision" value="switch" class="secondary">Have an admin account? Sign in with that account</button>
    <button type="submit" name="decision" value="cancel" class="primary">Return to the application without granting consent</button>
  </div>
</form>`,
  });
}
