/**
 * skopeo as the independent client of DESIGN.md "Tests that count": digests the page shows are
 * cross-checked against what a different implementation receives for the same reference.
 */
import { runToCompletion } from './processes.ts';
import { sha256Digest } from '../../src/test-support/digest.ts';

/** The manifest bytes exactly as the registry sent them (`skopeo inspect --raw`). */
export function skopeoRaw(ref: string): Promise<Buffer> {
  // The e2e registry speaks plain HTTP; --tls-verify=false lets skopeo fall back to it.
  return runToCompletion('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${ref}`]);
}

/** `sha256:<hex>` of those bytes, hashed as bytes: a string round trip could alter them. */
export async function skopeoRawDigest(ref: string): Promise<string> {
  return sha256Digest(await skopeoRaw(ref));
}
