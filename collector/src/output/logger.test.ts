import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { Secret } from '@evidentia/sdk';
import { createLineLogger } from './logger.js';

function capture() {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { out, text: () => text };
}

describe('line logger', () => {
  it('writes warnings with their fields, hides secrets and neutralizes escape sequences', () => {
    const { out, text } = capture();
    const log = createLineLogger(out);
    log.info('not shown');
    log.warn('retrying request', { url: 'https://api.github.com/x', attempt: 2, token: new Secret('s3cret', '${env:T}') });
    log.error('title \u001b[31mred', {});
    expect(text()).toBe('warn: retrying request url=https://api.github.com/x attempt=2 token="[secret ${env:T}]"\nerror: title \\x1b[31mred\n');
  });
});
