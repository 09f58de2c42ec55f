/**
 * The Slack workspace of the 30-day benchmark: 10,000 members and incident
 * channels with their messages, served by the soak test's simulator
 * (connectors/slack/src/simulator.ts). Each day members join, one is
 * deactivated, one changes, an incident channel opens every third day, and
 * recent incidents get messages.
 */
import { startSlackSimulator } from '../../connectors/slack/src/simulator.js';
import { SlackWorkspace, syntheticMember } from '../../connectors/slack/src/simulator-workspace.js';
import { DAY_MS, random, scaled, type SimulatedSystem } from './simulated-system.js';

const INCIDENTS = 20;
const TEAM_CHANNELS = 200;
const TOKEN = 'xoxb-bench-token-not-real';
const rand = random(32);

/** Sizes other than the 30-day benchmark's (bench/memory.ts collects the large org of issue 15). */
export interface SlackSizes {
  /** Workspace members besides the bot (10,000 at scale 1). */
  members?: number;
}

export async function slackSystem(start: Date, sizes: SlackSizes = {}): Promise<SimulatedSystem> {
  const memberCount = sizes.members ?? scaled(10_000);
  const ws = new SlackWorkspace({ id: 'T0BENCH001', name: 'Bench Corp', domain: 'benchcorp' }, { userId: 'U0EVIDBOT1', name: 'evidentia' });
  for (let i = 0; i < memberCount; i++) ws.addUser(syntheticMember(i));
  ws.addUser({ ...syntheticMember(499), id: ws.bot.userId, name: 'evidentia' });
  const memberId = (i: number) => `U0${String(i).padStart(8, '0')}`;
  let nextIncident = 0;
  const openIncident = (openedMs: number, messages: number) => {
    const id = `C0INC${String(nextIncident++).padStart(5, '0')}`;
    ws.addChannel({ id, name: `inc-${id.toLowerCase()}`, created: Math.floor(openedMs / 1000), creator: memberId(2), is_private: false, is_archived: false, purpose: '', topic: '', members: [ws.bot.userId] });
    for (let k = 0; k < messages; k++) ws.post(id, memberId(1 + Math.floor(rand() * 200)), k === 0 ? `Investigating, tracking in OPS-${nextIncident}` : k === messages - 1 ? 'Resolved: back to normal' : `update ${k}`, openedMs + (k + 1) * 120_000);
    return id;
  };
  for (let i = 0; i < INCIDENTS; i++) openIncident(start.getTime() - (80 - 4 * i) * DAY_MS, 40);
  for (let i = 0; i < TEAM_CHANNELS; i++) {
    ws.addChannel({ id: `C2TEAM${String(i).padStart(5, '0')}`, name: `team-${i}`, created: Math.floor((start.getTime() - 400 * DAY_MS) / 1000), creator: memberId(2), is_private: false, is_archived: false, purpose: '', topic: '' });
  }
  const sim = await startSlackSimulator({ workspace: ws, token: TOKEN });
  let nextMember = memberCount;
  const active = () => [...ws.users.values()].filter((m) => !m.deleted && !m.is_bot && !m.is_primary_owner && m.id.startsWith('U0') && m.id !== ws.bot.userId);
  const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)]!;
  return {
    instance: 'slack',
    scale: [`Slack: ${memberCount.toLocaleString('en-US')} members (users.list pages of 100), ${TEAM_CHANNELS} team channels, ${INCIDENTS} incident channels of 40 messages opened over the 80 days before run 1; each day 3 members join, 1 is deactivated, 1 changes (admin, 2FA or e-mail), a recent incident gets a message, and every third day an incident channel opens with 6 messages.`],
    yaml: ['  slack:', '    config:', '      workspace: benchcorp', '      token: ${env:SLACK_BENCH_TOKEN}', `      slackApiUrl: ${sim.url}`].join('\n'),
    env: { SLACK_BENCH_TOKEN: TOKEN },
    beforeRun(run, now) {
      if (run === 1) return;
      for (let k = 0; k < 3; k++) ws.addUser(syntheticMember(nextMember++));
      ws.updateUser(pick(active()).id, (m) => void (m.deleted = true));
      ws.updateUser(pick(active()).id, (m) => {
        if (run % 3 === 0) m.is_admin = !m.is_admin;
        else if (run % 3 === 1) m.has_2fa = !(m.has_2fa ?? false);
        else m.profile = { ...m.profile, email: `renamed${run}@example.com` };
      });
      const recent = [...ws.channels.values()].filter((c) => c.name.startsWith('inc-') && c.created * 1000 > now.getTime() - 30 * DAY_MS);
      if (recent.length > 0) ws.post(pick(recent).id, pick(active()).id, `status update ${run}`, now.getTime() - 4 * 3_600_000);
      if (run % 3 === 0) openIncident(now.getTime() - 10 * 3_600_000, 6);
    },
    close: () => sim.close(),
  };
}
