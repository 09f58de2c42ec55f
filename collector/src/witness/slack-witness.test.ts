/**
 * The Slack witness against a local Slack-shaped endpoint: the checkpoint
 * (head hash and the whole signed checkpoint) is posted to the notification
 * channel; a refused post is thrown, so the run turns it into a warning.
 * It is write-only: verify does not read Slack back.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { SignedCheckpoint } from '@evidentia/locker';
import { Secret } from '@evidentia/sdk';
import { startSlackEndpoint, type SlackEndpoint } from '../notify/slack-endpoint.test-support.js';
import { createWitnesses } from './index.js';

const signed: SignedCheckpoint = {
  checkpoint: { format: 'evidentia.checkpoint/1', lockerId: 'a'.repeat(64), sequence: 7, head: 'b'.repeat(64), runId: 'run-7', time: '2026-06-01T00:00:00.000Z', keyId: 'c'.repeat(64) },
  signature: 'c2lnbmF0dXJl',
};

let endpoint: SlackEndpoint | undefined;
afterEach(async () => endpoint?.close());

async function slackWitness(script: Parameters<typeof startSlackEndpoint>[0] = []) {
  endpoint = await startSlackEndpoint(script);
  const slack = { token: new Secret('test-token-not-real', '${env:SLACK_BOT_TOKEN}'), channel: '#evidence', apiUrl: endpoint.apiUrl };
  const [witness] = createWitnesses({ witnesses: [{ type: 'slack' }], notifications: { slack } });
  return witness!;
}

describe('Slack witness', () => {
  it('posts the head manifest hash and the signed checkpoint to the channel', async () => {
    const witness = await slackWitness();
    expect(witness.name).toBe('slack #evidence');
    expect(witness.read).toBeUndefined();
    await witness.publish(signed);
    const text = endpoint!.posts[0]!.fields.text!;
    expect(endpoint!.posts[0]!.fields.channel).toBe('#evidence');
    expect(text).toContain(`:lock: *evidentia checkpoint* #7: head manifest \`${'b'.repeat(64)}\``);
    expect(text).toContain(JSON.stringify(signed));
  });

  it('throws when Slack refuses the post', async () => {
    const witness = await slackWitness([{ status: 200, body: { ok: false, error: 'channel_not_found' } }]);
    await expect(witness.publish(signed)).rejects.toThrow('could not post to #evidence: Slack answered channel_not_found');
  });
});
