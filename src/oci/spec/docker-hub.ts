/**
 * Docker Hub's names. People write `docker.io` (or the v1-era `index.docker.io`); its registry
 * API answers on another host, `registry-1.docker.io`, which is what the proxy connects to and
 * what absolute pagination links name.
 */

/** The registry name references normalise to (distribution/reference). */
export const DOCKER_HUB = 'docker.io';
/** Docker Hub's v1-era name, still written in old scripts and configs. */
export const DOCKER_HUB_LEGACY = 'index.docker.io';
/** The host Docker Hub's registry API is served from. */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';

/** Whether `host` serves the registry API of `registry` (itself, or Docker Hub's API host for docker.io). */
export function servesRegistry(registry: string, host: string): boolean {
  return host === registry || (registry === DOCKER_HUB && host === DOCKER_HUB_API_HOST);
}
