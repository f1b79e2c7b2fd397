/**
 * The credentials store the app hands to presentational pieces (ui/credentials-context.tsx):
 * this tab's sessionStorage, through lib/registry-credentials.ts.
 */
import { forgetCredentials, registryHostOfProxyUrl, saveCredentials, storedAuthorization } from '../lib/registry-credentials';
import type { CredentialsStore } from '../ui/credentials-context';

export const tabCredentials: CredentialsStore = {
  hostOfProxyUrl: registryHostOfProxyUrl,
  has: (host) => storedAuthorization(host) !== undefined,
  save: saveCredentials,
  forget: forgetCredentials,
};
