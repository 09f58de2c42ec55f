/**
 * A custom connector that leaks its own token everywhere a careless one
 * could: in the error it throws, in a log line, in its doctor detail and, with
 * `explode: true`, in an error thrown while its config is read. The redaction
 * test checks that the token reaches none of evidentia's outputs.
 */
import { z } from 'zod';
import { defineConnector, secret } from '@evidentia/sdk';

const Config = z
  .object({ token: secret(), explode: z.boolean().default(false) })
  .strict()
  .transform((config) => {
    if (config.explode) throw new Error(`cannot use the token ${config.token.reveal()}`);
    return config;
  });

/** Every form a client might echo the token in. */
const echo = (token: string) => `${token} (sent as ${encodeURIComponent(token)}, header ${Buffer.from(token, 'utf8').toString('base64')})`;

export default defineConnector({
  id: 'leaky',
  version: '0.1.0',
  title: 'A connector that leaks its token (redaction test)',
  configSchema: Config,
  credentials: [],
  system: () => 'leaky:test',
  streams: {
    people: {
      type: 'state',
      kind: 'access.account',
      description: 'never collects: its login is refused',
      controls: ['CC6.1'],
      async collect(ctx) {
        ctx.log.warn(`logging in with ${echo(ctx.config.token.reveal())}`);
        throw new Error(`login refused for ${echo(ctx.config.token.reveal())}`);
      },
    },
  },
  async doctor({ config }) {
    return [{ name: 'login', ok: false, detail: `the API rejected ${echo(config.token.reveal())}` }];
  },
});
