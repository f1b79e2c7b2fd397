import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  forgetCredentials,
  registryHostOfProxyUrl,
  saveCredentials,
  storedAuthorization,
  withStoredCredentials,
} from './registry-credentials';

function fakeSessionStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
    items,
  };
}

afterEach(() => vi.unstubAllGlobals());

describe('registry credentials in sessionStorage', () => {
  it('stores a Basic header value per lowercased host, and forgets it', () => {
    const storage = fakeSessionStorage();
    vi.stubGlobal('sessionStorage', storage);
    saveCredentials('Registry.Example:5000', 'carol', 'pä:ss');
    const value = storedAuthorization('registry.example:5000')!;
    expect(value.startsWith('Basic ')).toBe(true);
    expect(new TextDecoder().decode(Uint8Array.from(atob(value.slice(6)), (c) => c.charCodeAt(0)))).toBe('carol:pä:ss');
    expect(storedAuthorization('other.example')).toBeUndefined();
    forgetCredentials('registry.example:5000');
    expect(storage.items.size).toBe(0);
  });

  it('does nothing without sessionStorage (workers, tests)', () => {
    vi.stubGlobal('sessionStorage', undefined);
    saveCredentials('a.example', 'u', 'p');
    expect(storedAuthorization('a.example')).toBeUndefined();
  });

  it('finds the registry host in a proxy URL', () => {
    expect(registryHostOfProxyUrl('/registry/localhost:5000/v2/a/manifests/v1')).toBe('localhost:5000');
    expect(registryHostOfProxyUrl('http://127.0.0.1:8080/registry/ghcr.io/v2/')).toBe('ghcr.io');
    expect(registryHostOfProxyUrl('/assets/x.js')).toBeUndefined();
  });

  it('adds the stored credentials to requests for that registry only, keeping the other headers', async () => {
    vi.stubGlobal('sessionStorage', fakeSessionStorage());
    saveCredentials('private.example', 'carol', 'pw');
    const seen: Headers[] = [];
    const fetchWith = withStoredCredentials(async (_input, init) => {
      seen.push(new Headers(init?.headers));
      return new Response(null);
    });
    await fetchWith('/registry/private.example/v2/a/manifests/v1', { headers: { accept: 'application/json' } });
    await fetchWith('/registry/public.example/v2/a/manifests/v1', { headers: { accept: 'application/json' } });
    expect(seen[0]!.get('x-ociscope-registry-authorization')).toBe(storedAuthorization('private.example'));
    expect(seen[0]!.get('accept')).toBe('application/json');
    expect(seen[1]!.has('x-ociscope-registry-authorization')).toBe(false);
  });
});
