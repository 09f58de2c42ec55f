/**
 * Every GraphQL document the connector sends must be valid against GitHub's
 * published schema (@octokit/graphql-schema), so a renamed field fails here
 * and not in a customer's collection run.
 */
import { describe, expect, it } from '@jest/globals';
import { schema as published } from '@octokit/graphql-schema';
import { buildClientSchema, parse, validate, type IntrospectionQuery } from 'graphql';
import { OVERVIEW_QUERIES } from './overview-queries.js';
import { QUERIES } from './queries.js';

// The introspection JSON, not the IDL: the published IDL defines two
// EnterpriseOwnerInfo fields twice, which graphql-js rightly refuses.
const githubSchema = buildClientSchema(published.json as IntrospectionQuery);

describe('GraphQL documents', () => {
  it.each(Object.entries({ ...QUERIES, ...OVERVIEW_QUERIES }))('%s validates against the GitHub schema', (_name, document) => {
    const errors = validate(githubSchema, parse(document)).map((error) => error.message);
    expect(errors).toEqual([]);
  });

  it('the validation catches a misspelled field', () => {
    const broken = QUERIES.MERGED_PULL_REQUESTS_QUERY.replace('headRefOid', 'headRefSha');
    expect(validate(githubSchema, parse(broken)).map((error) => error.message).join('\n')).toMatch(/headRefSha/);
  });
});
