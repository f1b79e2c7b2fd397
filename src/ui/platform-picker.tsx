/**
 * The choice an image index asks for before any per-image view (merged filesystem, sizes): one
 * link per platform manifest, attestations and entries we cannot fetch left out.
 */
import { Link } from 'react-router';
import { type Descriptor, formatPlatform, isAttestation } from '../oci/spec/descriptor';
import type { ImageIndex } from '../oci/spec/manifest';

export function PlatformPicker({ index, hrefFor }: { index: ImageIndex; hrefFor: (manifest: Descriptor) => string }) {
  return (
    <section data-testid="pick-platform">
      <p>An image index has one filesystem per platform. Pick one:</p>
      <ul>
        {index.manifests
          .filter((d) => !isAttestation(d) && d.digestValid)
          .map((d) => (
            <li key={d.digest}>
              <Link to={hrefFor(d)}>{d.platform ? formatPlatform(d.platform) : d.digest}</Link>
            </li>
          ))}
      </ul>
    </section>
  );
}
