import { describe, expect, it } from 'vitest';
import { createRegistryClient } from './client';

function pagedCatalog(calls: string[]) {
  return createRegistryClient({
    tagPageSize: 2,
    fetch: async (input) => {
      const url = String(input);
      calls.push(url);
      if (url.endsWith('/v2/_catalog?n=2')) {
        return new Response(JSON.stringify({ repositories: ['a/one', 'a/two'] }), {
          headers: { link: '</v2/_catalog?last=a%2Ftwo&n=2>; rel="next"' },
        });
      }
      return new Response(JSON.stringify({ repositories: ['b/three'] }));
    },
  });
}

describe('listCatalog', () => {
  it('follows the catalog’s pages on the same registry', async () => {
    const calls: string[] = [];
    const list = await pagedCatalog(calls).listCatalog('localhost:5000');
    expect(list).toEqual({ tags: ['a/one', 'a/two', 'b/three'], pages: 2 });
    expect(calls).toEqual(['/registry/localhost:5000/v2/_catalog?n=2', '/registry/localhost:5000/v2/_catalog?last=a%2Ftwo&n=2']);
  });

  it('rejects an answer that is not a catalog, naming it', async () => {
    const client = createRegistryClient({ fetch: async () => new Response('{"repositories": 3}') });
    await expect(client.listCatalog('localhost:5000')).rejects.toMatchObject({
      kind: 'malformed-document',
      message: expect.stringContaining('not a catalog'),
    });
  });
});

describe('a list that breaks off after its first page', () => {
  it('keeps the pages read and says where and why it stopped', async () => {
    const client = createRegistryClient({
      retry: { maxAttempts: 1, baseDelayMs: 0, maxWaitMs: 0 },
      fetch: async (input) =>
        String(input).includes('last=')
          ? new Response(JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] }), {
              status: 429,
              headers: { 'retry-after': '3600' },
            })
          : new Response(JSON.stringify({ tags: ['a', 'b'] }), { headers: { link: '</v2/team/app/tags/list?last=b&n=2>; rel="next"' } }),
    });
    const list = await client.listTags({ registry: 'r.example', repository: 'team/app' });
    expect(list.tags).toEqual(['a', 'b']);
    expect(list.pages).toBe(1);
    expect(list.interruptedBy).toMatchObject({ kind: 'rate-limited' });
    expect(list.stoppedEarly).toMatch(/broke off at page 2: .*rate limit.* The 2 entries of page 1 are listed/);
  });

  it('fails as before when the first page fails', async () => {
    const client = createRegistryClient({
      retry: { maxAttempts: 1, baseDelayMs: 0, maxWaitMs: 0 },
      fetch: async () => new Response('{}', { status: 429, headers: { 'retry-after': '3600' } }),
    });
    await expect(client.listTags({ registry: 'r.example', repository: 'team/app' })).rejects.toMatchObject({ kind: 'rate-limited' });
  });
});
