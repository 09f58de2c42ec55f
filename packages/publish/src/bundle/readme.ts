/** The README an auditor finds first in a bundle: what is in it and how to check it with nothing but the public key. */
import type { BundleIndex } from './layout.js';

export function bundleReadme(index: Pick<BundleIndex, 'period' | 'createdAt' | 'keyId' | 'manifests' | 'streams'>): string {
  return `# Audit bundle (evidentia)

Evidence for the period ${index.period.since} to ${index.period.until} (end exclusive),
exported ${index.createdAt}. Signing key id (SHA-256 of the raw Ed25519 public key):
${index.keyId}

## How to verify

With Node.js 18 or later and nothing else installed, take verify.mjs out of the
bundle and run it on the bundle:

    unzip -o bundle.zip verify.mjs
    node verify.mjs bundle.zip --public-key key-you-obtained-separately.pem

It prints what it checked, then every problem, root causes first (the altered
file or line) with what follows from each under it, and a last line saying
\`bundle verified\` (exit 0) or \`bundle FAILED verification\` (exit 1); \`--json\`
prints the report as JSON. With evidentia installed, the same checks are

    evidentia verify --bundle bundle.zip --public-key key-you-obtained-separately.pem

verify.mjs is listed in the signed index like every other file, but a verifier
cannot vouch for itself: whoever could rewrite the bundle could rewrite it too.
Where that matters, run the verifier published by the project rather than the
bundled one (the same file):

    npx @evidentia/verify bundle.zip --public-key key-you-obtained-separately.pem

Without --public-key the bundled public-key.pem is used; obtain the key from the
organization separately (and compare its key id above) so that a rewritten bundle
with a new key is refused. Verification needs nothing but the bundle: it re-hashes
every file against index.json, checks index.sig, follows the manifest chain from
manifest #${index.manifests.first} to #${index.manifests.last}, checks each manifest's
Ed25519 signature, recomputes the Merkle roots of the ${index.streams.length} included
stream runs' records and snapshot entries, follows the chains of document
evidence, exception acceptances and access reviews from their first entry (each
entry re-hashed, its signature checked, each included file re-hashed), and names
every altered, missing or added file.

## Contents

| path | what it is |
| --- | --- |
| verify.mjs | the standalone verifier (Node.js 18 or later, no dependencies): \`node verify.mjs bundle.zip\` |
| index.json, index.sig | every other file with its SHA-256; the signature (Ed25519 over "evidentia.bundle-index/1", a newline and index.json) |
| public-key.pem | the locker's public key |
| manifests/chain.jsonl | each manifest's sequence, run, hash, previous hash and signature; the first is the manifest before the period, so the chain into the period can be checked |
| witness/checkpoints.jsonl | (when witnesses are configured) the signed checkpoints the witnesses hold for these manifests: each names a manifest's sequence and hash, signed with the locker key over "evidentia.checkpoint/1", a newline and its canonical JSON; verify checks each against the chain and the head of each entry chain it names (documents, acceptances, access reviews) against the entries the bundle carries |
| manifests/N.json | manifest N exactly as signed (RFC 8785 canonical JSON; its SHA-256 is its hash) |
| snapshots/N/<connector>/<stream>.jsonl | the snapshot entries of a stream run of manifest N, in collection order: provenance (method, URL, request body, status, headers, time, identity) and body hash |
| objects/<sha256> | raw API responses (snapshot bodies) and record sets (sorted lists of record hashes), canonical JSON named by their SHA-256; a response a record names in its sources is here too when an earlier run read it (an unchanged item's, an AWS access-key listing), though no snapshot entry of the bundle names it; verify notes any record whose source response is not here (its locker never held it) |
| records/records.jsonl | every record of the included record sets, one canonical JSON per line (its SHA-256 is the record hash), sorted by hash |
| populations/<criterion>.csv | every item of a criterion in the period, with an IPE header (queries, times, identity, API totals vs records received); an empty one says why in its header (stream not configured, never collected, no evidence of the period, nothing in it); one with items names in \`# incomplete:\` lines each stream of its kinds with no usable evidence of the period, whose items it may lack, and each with open coverage gaps in the period (see coverage/), whose items of that time it lacks |
| checks/results.json | every check's findings (pass / exception / not assessable / not assessed), each with the record hashes it rests on; an exception an acceptance names carries it ("acceptance": accepted, or lapsed / revoked when it did not hold at the period's end); an item a setting exempts carries "exempt" (the setting) |
| documents/entries.jsonl | every document evidence entry as signed, in chain order: {signature, entry, file}; the entry names the evidence request, file name, type, size, SHA-256 of the file (content), who added it and when, the day it speaks for (effective), a note, and the entry it supersedes; signed with the locker key over "evidentia.document/1", a newline and the entry's SHA-256 (hex) |
| documents/files/<sha256> | the files of the documents effective in the period or counted by its evidence requests (a per-event document added after the period: "file": true on their line), exactly as added, named by their SHA-256; evidentia never opened or ran them, and neither should you without care |
| acceptances/entries.jsonl | every exception acceptance and revocation as signed, in chain order: {signature, entry}; an acceptance names the check, the item, the reason, the approver, its last day (until) and who recorded it when; a revocation names the acceptance it ends; signed over "evidentia.exception-acceptance/1", a newline and the entry's SHA-256 |
| access-reviews/entries.jsonl | every user access review entry as signed, in chain order: {signature, entry, file}; a "review" entry holds the review's accounts (one row per account: person, roles, privileged, MFA, last activity, suggested action) and the inventory runs it was built from, a "decisions" entry a batch of decisions on it (keep, revoke or change, reviewer, comment) with the name and SHA-256 of the file they came from; signed over "evidentia.access-review/1", a newline and the entry's SHA-256 |
| access-reviews/files/<sha256> | the decided workbooks (or CSVs) of the reviews started in the period ("file": true on their line), exactly as imported, named by their SHA-256 |
| coverage/coverage.json | collections and gaps per stream over the period |
| readiness/<framework>.json, .csv | (with a configuration) readiness per requirement of each framework in scope: what evidences it (streams, checks, evidence requests), every status that applies and each missing line; the CSV has one row per missing line (see "Readiness" below) |
| report.html | the human-readable report (self-contained, no scripts) |

## Readiness

readiness/<framework>.json is the organization's own gap analysis, derived from the
files above, not evidence in itself: for each requirement (SOC 2 criteria directly,
ISO 27001, NIS2 and C5 through the published SOC 2 mappings) it names the streams,
checks and evidence requests that serve it and one of these statuses, listing every
one that applies: exceptions (a check found exceptions, or a request was answered
after its deadline), overdue (a request past its deadline without a document), gaps
(an open coverage gap of a serving stream), not assessed (a check could not judge,
or nothing holds evidence of the period), no evidence path (nothing serves it), open
(a request not yet due), partial (reached only through criteria that serve part of
it) and ready (evidence of the period and nothing open). Each missing line can be
traced to checks/results.json, coverage/coverage.json or the report.

## Evidence requests, documents, access reviews and accepted exceptions

Evidence requests are the recurring evidence the organization committed to
produce (a yearly risk assessment, quarterly firewall reviews, a background
check per new hire), each with an owner, a frequency and a due rule; the
collector cannot fetch them from an API, so people add them as documents.
Each document is an append-only, signed entry chained to the one before it: a
correction is a new entry that supersedes the old one, and both stay, so the
chain shows every upload and when it was made. coverage/coverage.json says
per request which occurrences were fulfilled, late or overdue.

An accepted exception is an exception the organization decided to live with
for a while: someone (the approver) accepted the risk of one item a check
raised, with a reason and a last day. It is never a pass: the exception stays
in checks/results.json and report.html, counted as an exception and marked
accepted with reason, approver and last day, and the check's result stays
"exceptions". An acceptance holds for this period only when the period's end
is no later than the end of its last day (in the organization's audit time
zone) and it was not revoked before then; otherwise the exception is marked
lapsed or revoked and stands unaccepted. Acceptances in effect that name an
item no check raised are listed as unused in checks/results.json
("acceptances") and the report. Judge whether each acceptance is reasonable
and approved by someone with the authority to accept that risk.

A user access review is started from a system's latest account inventory (the
review entry holds every account as the reviewers saw it) and decided in a
workbook whose decisions are imported as signed entries; a decision is never
rewritten. The reviews started in the period are a population of their own:
populations/CC6.2.csv and CC6.3.csv hold, beside the accounts, one row per reviewed account (kind
evidentia.access-review) with its decision, reviewer and time, whose
record_hash is the SHA-256 of the canonical JSON {review: the review entry's
hash, row: the account row, decision: the decision or null}, recomputable from
access-reviews/entries.jsonl. The check access-review-performed in
checks/results.json judges each review window, the missing decisions and
whether each revoke shows in a later inventory within its SLA.

Draw a reproducible sample from a population with
\`evidentia sample --population populations/CC8.1.csv --size 25 --seed <your seed>\`.
`;
}
