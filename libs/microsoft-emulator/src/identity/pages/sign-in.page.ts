import { escapeHtml } from '../../http/html';
import { errorBlock, hiddenFlowField, layoutPage } from './layout.page';

export interface SignInPageModel {
  flowId: string;
  action: string;
  username?: string;
  organization?: string; // shown when the request names a tenant (or a domain_hint does)
  error?: string;
}

export function signInPage(model: SignInPageModel): string {
  return layoutPage({
    title: 'Sign in to your account',
    page: 'sign-in',
    body: `
<h1>Sign in</h1>
${model.organization ? `<p class="small">to ${escapeHtml(model.organization)}</p>` : ''}
${errorBlock(model.error)}
<form method="post" action="${escapeHtml(model.action)}">
  ${hiddenFlowField(model.flowId)}
  <label for="username">Email or username</label>
  <input type="email" id="username" name="username" autocomplete="username" required value="${escapeHtml(model.username ?? '')}" ${model.username ? '' : 'autofocus'}>
  <label for="password">Password</label>
  <input type="password" id="password" name="password" autocomplete="current-password" required ${model.username ? 'autofocus' : ''}>
  <div class="actions"><button type="submit" class="primary">Sign in</button></div>
</form>`,
  });
}
