/**
 * Size limits that more than one part of ociscope must agree on, named once.
 */

/**
 * The largest document read whole and shown as JSON (manifests, configs, index.json, layout
 * documents). distribution-spec lets registries refuse manifests over 4 MiB, and the proxy caps
 * what it relays at the same size, so anything bigger is not a real manifest.
 */
export const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;
