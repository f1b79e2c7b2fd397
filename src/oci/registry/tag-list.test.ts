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
