/**
 * `/layout`: open an OCI image layout from disk — a tar (`skopeo copy … oci-archive:`, `docker
 * save` from Docker 25 on) or a directory (`skopeo copy … oci:`), picked or dropped — and browse
 * it with the same pages and proofs as a registry. A `docker save` / `podman save` docker-archive
 * opens too, with manifests ociscope synthesizes (and says so). The files stay in this tab.
 */
import { type DragEvent, useState } from 'react';
import { formatBytes } from '../../ui/format';
import { droppedSource } from './dropped-files';
import { LayoutSummary } from './layout-summary';
import { useOpenLayout } from './use-open-layout';

/** Chromium and Firefox read `webkitdirectory`; React has no typed prop for it. */
function asDirectoryPicker(input: HTMLInputElement | null) {
  input?.setAttribute('webkitdirectory', '');
}

export function LayoutPage() {
  const { state, layouts, open } = useOpenLayout();
  const [dragging, setDragging] = useState(false);

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void droppedSource(event.dataTransfer).then((source) => source && open(source));
  };

  return (
    <div className="layout-page" data-testid="layout-page">
      <h1>Open an OCI image layout</h1>
      <p className="lede">
        An OCI layout is an image saved to disk: <code>oci-layout</code>, <code>index.json</code> and <code>blobs/sha256/…</code>. Make one
        with <code>skopeo copy docker://IMAGE oci-archive:image.tar</code> or <code>oci:DIR</code>, or with <code>docker save</code> (Docker
        25 or later). Then click from index.json to manifests, configs and layers, each blob hashed and checked against its name. A
        docker-archive (<code>podman save</code>, or <code>docker save</code> before Docker 25) opens too: it stores no manifests, so
        ociscope synthesizes them, and says so.
      </p>
      <p className="layout-privacy" data-testid="layout-privacy">
        The layout stays in this tab: nothing is uploaded, and files are read from your disk only when a page needs them. Its links work in
        this tab until it is closed or reloaded; after that, open the layout again.
      </p>
      <div
        className={`layout-drop${dragging ? ' dragging' : ''}`}
        data-testid="layout-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <label>
          A layout archive (.tar){' '}
          <input
            type="file"
            accept=".tar,application/x-tar"
            data-testid="layout-tar-input"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void open({ kind: 'tar', file });
              e.target.value = '';
            }}
          />
        </label>
        <label>
          A layout directory{' '}
          <input
            type="file"
            ref={asDirectoryPicker}
            data-testid="layout-dir-input"
            onChange={(e) => {
              const files = Array.from(e.target.files ?? [], (file) => ({ path: file.webkitRelativePath || file.name, file }));
              const name = files[0]?.path.split('/')[0] ?? 'directory';
              if (files.length > 0) void open({ kind: 'directory', name, files });
              e.target.value = '';
            }}
          />
        </label>
        <p className="muted">or drop a .tar or a layout folder here</p>
      </div>
      {state.phase === 'reading' && (
        <p role="status" data-testid="layout-progress">
          Reading {state.name}…{' '}
          {state.total > 0 && (
            <>
              <progress max={state.total} value={state.bytesRead} aria-label="Layout indexing progress" /> {formatBytes(state.bytesRead)} of{' '}
              {formatBytes(state.total)}
            </>
          )}
        </p>
      )}
      {state.phase === 'failed' && (
        <section className="error-panel" role="alert" data-testid="layout-error">
          <h2>Could not open {state.name}</h2>
          <p>{state.message}</p>
        </section>
      )}
      {[...layouts].reverse().map((loaded) => (
        <LayoutSummary key={loaded.host} loaded={loaded} />
      ))}
    </div>
  );
}
