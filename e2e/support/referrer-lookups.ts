/**
 * The requests an image page's supply-chain summary makes on its own: the Referrers API, the
 * referrers tag schema (`sha256-<hex>`) and cosign's tags (`.sig`, `.att`, `.sbom`). Specs that
 * count the requests for a document leave these out.
 */
export function isReferrerLookup(path: string): boolean {
  return /\/referrers\//.test(path) || /\/manifests\/sha(256|512)-[a-f0-9]+(\.(sig|att|sbom))?$/.test(path);
}
