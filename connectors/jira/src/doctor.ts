/**
 * `evidentia doctor` for Jira: can the credentials sign in, may the account
 * browse projects, does every field the mapping names exist on the site, and
 * does each stream's JQL parse (with Jira's estimate of how many issues it
 * matches). It also lists every custom field the site has (id, name, type),
 * so a user can fill in the mapping. Nothing fetched here is stored.
 */
import type { DoctorCheck, DoctorContext } from '@evidentia/sdk';
import { changesStream } from './collect-changes.js';
import { incidentsStream } from './collect-incidents.js';
import { personnelStream } from './collect-personnel.js';
import { JiraClient } from './client.js';
import { siteUrl, type JiraConfig } from './config.js';
import { fieldType, resolveField } from './fields.js';
import type { SiteField } from './schema.js';

const failure = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function jiraDoctor(ctx: DoctorContext<JiraConfig>): Promise<DoctorCheck[]> {
  const { config } = ctx;
  const client = new JiraClient(config, ctx.fetch, null);
  const site = siteUrl(config);
  let timeZone: string;
  try {
    const { value: me } = await client.myself();
    timeZone = me.timeZone;
  } catch (error) {
    return [{ name: 'authentication', ok: false, detail: `${failure(error)} (check host, email and apiToken, or bearerToken)` }];
  }
  const checks: DoctorCheck[] = [{ name: 'authentication', ok: true, detail: `signed in to ${site}; JQL dates are read in the account's time zone ${timeZone}` }];

  try {
    const browse = (await client.permissions(['BROWSE_PROJECTS'])).value.permissions.BROWSE_PROJECTS?.havePermission === true;
    checks.push({ name: 'permission BROWSE_PROJECTS', ok: browse, detail: browse ? 'the account may browse projects' : 'grant the account Browse projects in the projects the JQL selects' });
  } catch (error) {
    checks.push({ name: 'permission BROWSE_PROJECTS', ok: false, detail: failure(error) });
  }
  let siteFields: SiteField[];
  try {
    siteFields = (await client.fields()).value;
  } catch (error) {
    return [...checks, { name: 'fields', ok: false, detail: `cannot list the site's fields: ${failure(error)}` }];
  }
  const streams = [
    { name: 'changes', settings: changesStream.fieldSettings(config.streams.changes), jql: config.streams.changes.jql },
    { name: 'incidents', settings: incidentsStream.fieldSettings(config.streams.incidents), jql: config.streams.incidents.jql },
    { name: 'personnel', settings: personnelStream.fieldSettings(config.streams.personnel), jql: config.streams.personnel.jql },
  ];
  for (const stream of streams) {
    for (const [name, ref] of Object.entries(stream.settings)) {
      if (ref === undefined) continue;
      const setting = `streams.${stream.name}.${name}`;
      const resolution = resolveField(siteFields, { setting, ref }, site);
      checks.push(
        resolution.ok
          ? { name: `field ${setting}`, ok: true, detail: `'${ref}' is ${resolution.field.id} '${resolution.field.name}' (${fieldType(resolution.field)})` }
          : { name: `field ${setting}`, ok: false, detail: resolution.problem },
      );
    }
    try {
      const { value } = await client.count(stream.jql);
      checks.push({ name: `jql streams.${stream.name}.jql`, ok: true, detail: `${stream.jql} matches about ${value.count} issues` });
    } catch (error) {
      checks.push({ name: `jql streams.${stream.name}.jql`, ok: false, detail: `${failure(error)} (disable the stream in the collector config if the site does not use it)` });
    }
  }

  for (const field of siteFields.filter((candidate) => candidate.custom === true).sort((a, b) => a.name.localeCompare(b.name))) {
    checks.push({ name: `site field ${field.id}`, ok: true, detail: `${field.name} (${fieldType(field)})` });
  }
  return checks;
}
