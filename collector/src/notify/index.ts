/**
 * Choosing the notifier from the configuration (Slack when
 * `notifications.slack` is set, silence otherwise), and the gaps a run's
 * manifest declares, which commands pass on to it.
 */
import type { Manifest } from '@evidentia/locker';
import type { Logger } from '@evidentia/sdk';
import type { LoadedConfig } from '../config/load.js';
import { silentNotifier, type GapNotice, type Notifier } from './notifier.js';
import { SlackNotifier, type SlackNotifierOptions } from './slack.js';

export { silentNotifier, type ExceptionNotice, type GapNotice, type Notifier, type UnrecordedRunNotice, type UnwitnessedCheckpointNotice } from './notifier.js';
export { SlackNotifier, type SlackNotifierOptions, type SlackSettings } from './slack.js';

/** The configured notifier; silent when no channel is configured. */
export function createNotifier(notifications: LoadedConfig['notifications'], log: Logger, options?: SlackNotifierOptions): Notifier {
  return notifications.slack ? new SlackNotifier(notifications.slack, log, options) : silentNotifier;
}

/** Every gap the run's streams declared, named by `<instance>/<stream>`. */
export function declaredGaps(manifest: Manifest): GapNotice[] {
  return manifest.streams.flatMap((stream) => (stream.gaps ?? []).map((gap) => ({ stream: `${stream.instance}/${stream.stream}`, gap })));
}
