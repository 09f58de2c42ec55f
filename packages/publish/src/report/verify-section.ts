/** "How to verify": what an auditor runs to check the bundle, and the values to compare against ones obtained separately. */
import { html, type SafeHtml } from './html.js';
import type { ReportModel } from './model.js';

export function verifySection(model: ReportModel): SafeHtml {
  return html`<section id="verify"><h2>How to verify this evidence</h2>
<ol class="steps">
<li>Obtain the locker's public key from the organization separately (not only from the bundle) and compare its key id: <code>${model.keyId}</code>.</li>
<li>Run <code>node verify.mjs bundle.zip --public-key key.pem</code> with the verify.mjs the bundle carries (Node.js 18 or later, nothing else installed), the same file as published (<code>npx @evidentia/verify bundle.zip --public-key key.pem</code>), or <code>evidentia verify --bundle bundle.zip --public-key key.pem</code>: the same checks. They need nothing but the bundle and the key: it re-hashes every file against the signed bundle index, follows the chain of manifests from the manifest before the period, checks every manifest's Ed25519 signature, recomputes the Merkle roots of every included stream's records and snapshots, and names any file that was altered, removed or added.</li>
<li>Compare the newest manifest with one reported to you independently (e.g. in a notification): ${model.lastManifest ? html`manifest #${model.lastManifest.sequence}, hash <code>${model.lastManifest.hash}</code>` : 'no manifest yet'}. Removing the newest runs cannot be detected from inside the locker.</li>
<li>Re-run the checks or draw your own sample: <code>evidentia sample --population populations/CC8.1.csv --size 25 --seed YOUR-SEED</code> gives the same sample for the same seed.</li>
</ol></section>`;
}
