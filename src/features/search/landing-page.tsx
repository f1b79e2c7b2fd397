/** The start page: one input and a few references worth exploring. */
import { useDocumentTitle } from '../../ui/document-title';
import { Link } from 'react-router';
import { imageUrl } from '../../lib/view-urls';
import { parseReference } from '../../oci/spec/reference';
import { ReferenceForm } from './reference-form';

const examples = [
  { ref: 'alpine', what: 'a multi-platform Docker Hub image (an OCI index)' },
  { ref: 'quay.io/openshift-examples/multi-arch:kcdmunich2023', what: 'a manifest list built by hand with buildah' },
  { ref: 'ghcr.io/iximiuz/labs/oci/cli:v1', what: 'an image on GitHub’s registry' },
  { ref: 'gcr.io/distroless/static-debian12', what: 'a distroless base image' },
];

export function LandingPage() {
  useDocumentTitle([]);
  return (
    <div className="landing">
      <h1>Explore container images, with proof</h1>
      <p className="lede">
        Paste a reference and click from image index to platform manifest to config. Every document is hashed in your browser and checked
        against the digest it was asked for.
      </p>
      <ReferenceForm autoFocus />
      <h2>Examples</h2>
      <ul className="examples">
        {examples.map((e) => (
          <li key={e.ref}>
            <Link to={imageUrl(parseReference(e.ref))}>{e.ref}</Link> <span className="muted">— {e.what}</span>
          </li>
        ))}
      </ul>
      <h2>Images on your disk</h2>
      <p>
        <Link to="/layout" data-testid="open-layout-link">
          Open an OCI image layout
        </Link>{' '}
        <span className="muted">— a .tar from skopeo or docker save, or a layout directory: read in this tab, never uploaded</span>
      </p>
    </div>
  );
}
