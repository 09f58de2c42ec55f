/**
 * The sign-in form: name, password and the CSRF token its cookie carries too
 * (double submit, since there is no session yet); with OIDC configured, a
 * link to sign in through the identity provider as well (or only, when no
 * password users are configured).
 */
import { html, type SafeHtml } from '@evidentia/publish';

export interface SignInChoices {
  passwords: boolean;
  /** The IdP's label when OIDC sign-in is configured. */
  oidc?: string;
}

/** `notice` is what the visitor should know though nothing failed (after a sign-out that left the IdP's session). */
export function signInPage(csrf: string, problem?: string, choices: SignInChoices = { passwords: true }, notice?: string): SafeHtml {
  const oidc = choices.oidc ? html`<p class="sso"><a id="sign-in-oidc" href="/sign-in/oidc">Sign in with ${choices.oidc}</a></p>` : '';
  const passwords = choices.passwords
    ? html`<form class="sign-in" method="post" action="/sign-in"><input type="hidden" name="csrf" value="${csrf}">
<label>name <input name="name" autocomplete="username" required></label>
<label>password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form>`
    : '';
  return html`${problem ? html`<p class="error" role="alert">${problem}</p>` : ''}${notice ? html`<p class="notice" id="sign-in-notice" role="status">${notice}</p>` : ''}
${oidc}${passwords}`;
}
