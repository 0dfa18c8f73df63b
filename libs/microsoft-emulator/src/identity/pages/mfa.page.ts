import { escapeHtml } from '../../http/html';
import { errorBlock, hiddenFlowField, layoutPage } from './layout.page';

export interface MfaPageModel {
  flowId: string;
  action: string;
  userPrincipalName: string;
  error?: string;
}

export function mfaPage(model: MfaPageModel): string {
  return layoutPage({
    title: 'Enter code',
    page: 'mfa',
    body: `
<div class="identity">${escapeHtml(model.userPrincipalName)}</div>
<h1>Enter code</h1>
<p>Please type in the code displayed on your authenticator app from your device.</p>
${errorBlock(model.error)}
<form method="post" action="${escapeHtml(model.action)}">
  ${hiddenFlowField(model.flowId)}
  <label for="otp">Code</label>
  <input type="text" id="otp" name="otp" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required autofocus>
  <div class="actions"><button type="submit" class="primary">Verify</button></div>
</form>`,
  });
}
