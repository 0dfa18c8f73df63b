import { escapeHtml } from '../../http/html';
import { hiddenFlowField, layoutPage } from './layout.page';

export interface ConsentPageModel {
  flowId: string;
  action: string;
  appDisplayName: string;
  userPrincipalName: string;
  permissions: string[];
}

export function consentPage(model: ConsentPageModel): string {
  const items = model.permissions.map((permission) => `<li>${escapeHtml(permission)}</li>`).join('\n    ');
  return layoutPage({
    title: 'Permissions requested',
    page: 'consent',
    body: `
<div class="identity">${escapeHtml(model.userPrincipalName)}</div>
<h1>Permissions requested</h1>
<p><strong class="app-name">${escapeHtml(model.appDisplayName)}</strong><br><span class="small">unverified</span></p>
<p>This app would like to:</p>
<ul class="permissions">
    ${items}
</ul>
<p class="small">Accepting these permissions means that you allow this app to use your data as specified in their terms of service and privacy statement. You can change these permissions at https://myapps.microsoft.com.</p>
<form method="post" action="${escapeHtml(model.action)}">
  ${hiddenFlowField(model.flowId)}
  <div class="actions">
    <button type="submit" name="decision" value="cancel" class="secondary">Cancel</button>
    <button type="submit" name="decision" value="accept" class="primary">Accept</button>
  </div>
</form>`,
  });
}
