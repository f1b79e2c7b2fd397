/**
 * The one registry client the app uses, talking to the proxy on the app's own origin (and to
 * the OCI layouts opened in this tab, which answer like registries: local-layouts.ts). Feature
 * queries import it; components never do.
 */
import { createRegistryClient } from '../oci/client';
import { layoutAwareFetch } from './local-layouts';

export const registryClient = createRegistryClient({ fetch: layoutAwareFetch });
