/**
 * The one registry client the app uses, talking to the proxy on the app's own origin. Feature
 * queries import it; components never do.
 */
import { createRegistryClient } from '../oci/client';

export const registryClient = createRegistryClient();
