/** The sign-in form: name, password and the CSRF token its cookie carries too (double submit, since there is no session yet). */
import { html, type SafeHtml } from '@evidentia/publish';

export function signInPage(csrf: string, problem?: string): SafeHtml {
  return html`${problem ? html`<p class="error" role="alert">${problem}</p>` : ''}
<form class="sign-in" method="post" action="/sign-in"><input type="hidden" name="csrf" value="${csrf}">
<label>name <input name="name" autocomplete="username" required></label>
<label>password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form>`;
}
