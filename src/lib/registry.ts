/**
 * The one registry client the app uses, talking to the proxy on the app's own origin (and to
 * the OCI layouts opened in this tab, which answer like registries: local-layouts.ts). Feature
 * queries import it; components never do. Credentials the user entered for a registry are added
 * here, per request (registry-credentials.ts).
 */
import { createRegistryClient } from '../oci/registry/client';
import { layoutAwareFetch } from './local-layouts';
import { withStoredCredentials } from './registry-credentials';

export const registryClient = createRegistryClient({ fetch: withStoredCredentials(layoutAwareFetch) });
