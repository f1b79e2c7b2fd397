/**
 * What the error panel may do with credentials, without knowing where they are kept: the app
 * provides the tab's store (src/app, over lib/registry-credentials.ts), so presentational pieces
 * never import application state. Without a provider the panel offers no form.
 */
import { createContext, useContext } from 'react';

/** The tab's credentials, by registry host. */
export interface CredentialsStore {
  /** The registry host a proxy URL names. */
  hostOfProxyUrl(url: string): string | undefined;
  /** Whether credentials were entered for `host` in this tab. */
  has(host: string): boolean;
  save(host: string, username: string, password: string): void;
  forget(host: string): void;
}

/** Provided once by the app; undefined outside it (tests of single components). */
export const CredentialsContext = createContext<CredentialsStore | undefined>(undefined);

/** The tab's credentials store, when the app provides one. */
export function useCredentialsStore(): CredentialsStore | undefined {
  return useContext(CredentialsContext);
}
