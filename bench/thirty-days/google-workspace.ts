/**
 * The Google Workspace directory of the 30-day benchmark: 10,000 users, a
 * few dozen role holders, served by the soak test's Admin SDK simulator
 * (connectors/google-workspace/src/simulator.ts). Each day a few users join,
 * one is suspended, one deleted, one changes 2-step enrolment, and a role is
 * assigned; each of those writes an admin audit event.
 */
import { AdminSdkSimulator, type Json } from '../../connectors/google-workspace/src/simulator.js';
import { DAY_MS, random, scaled, type SimulatedSystem } from './simulated-system.js';

const HOLDERS = 40;
const rand = random(31);

/** Sizes other than the 30-day benchmark's (bench/memory.ts collects the large org of issue 15). */
export interface GoogleWorkspaceSizes {
  /** Directory users (10,000 at scale 1). */
  users?: number;
}

export async function googleWorkspaceSystem(start: Date, sizes: GoogleWorkspaceSizes = {}): Promise<SimulatedSystem> {
  const userCount = sizes.users ?? scaled(10_000);
  const sim = new AdminSdkSimulator({ pageSize: 500, activityPageSize: 1000 });
  const dir = sim.directory;
  const ago = (days: number) => new Date(start.getTime() - days * DAY_MS);
  const users = Array.from({ length: userCount }, (_, i) => dir.addUser(ago(400 - (i % 300)), { logged: false, twoStep: rand() < 0.9 }));
  for (const [i, holder] of users.slice(0, HOLDERS).entries()) {
    dir.change(holder.id as string, i < 2 ? { isAdmin: true } : { isDelegatedAdmin: true });
    dir.assign(i < 2 ? 0 : 1 + (i % 21), holder.id as string, null);
  }
  await sim.start();
  const idOf = (user: Json) => user.id as string;
  const plain = () => [...dir.users.values()].filter((u) => !u.isAdmin && !u.isDelegatedAdmin && !u.suspended);
  const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)]!;
  return {
    instance: 'google-workspace',
    scale: [`Google Workspace: ${userCount.toLocaleString('en-US')} users (pages of 500), ${HOLDERS} role holders; each day 3 users join, 1 is suspended, 1 deleted, 1 changes 2-step enrolment and 1 is assigned a role, each with its admin audit event.`],
    yaml: ['  google-workspace:', '    config:', '      domain: example.com', '      accessToken: ${env:GWS_TOKEN}', '      tokenOwner: admin@example.com', `      rootUrl: ${sim.baseUrl}`].join('\n'),
    env: { GWS_TOKEN: 'bench-token-not-real' },
    beforeRun(run, now) {
      sim.now = now;
      if (run === 1) return;
      const at = (hours: number) => new Date(now.getTime() - DAY_MS + hours * 3_600_000);
      for (let k = 0; k < 3; k++) dir.addUser(at(2 + k), { twoStep: k !== 1 });
      dir.suspend(idOf(pick(plain())), at(6));
      dir.remove(idOf(pick(plain())), at(8));
      const enrolled = pick(plain());
      dir.change(idOf(enrolled), { isEnrolledIn2Sv: !enrolled.isEnrolledIn2Sv });
      dir.assign(1 + (run % 21), idOf(pick(plain())), at(10));
      dir.forgetOldDeletions(now);
    },
    close: () => sim.close(),
  };
}
