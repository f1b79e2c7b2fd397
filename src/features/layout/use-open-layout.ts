/**
 * Opening a layout picked from disk: read it (a tar is indexed with progress, a directory is
 * taken as it is), check it is a layout or a docker-archive (src/oci/oci-layout.ts), and add it to this tab's
 * layouts (src/lib/local-layouts.ts), which every page can then browse like a registry.
 */
import { useState, useSyncExternalStore } from 'react';
import { type LoadedLayout, addLayout, loadedLayouts, subscribeToLayouts } from '../../lib/local-layouts';
import { OciLayoutError, openLayoutFromFiles, openLayoutFromTar } from '../../oci/layout/oci-layout';

export type LayoutSource = { kind: 'tar'; file: File } | { kind: 'directory'; name: string; files: { path: string; file: File }[] };

export type OpenState =
  | { phase: 'idle' }
  | { phase: 'reading'; name: string; bytesRead: number; total: number }
  | { phase: 'failed'; name: string; message: string }
  | { phase: 'opened'; layout: LoadedLayout };

/** Re-rendering for every chunk of a multi-GB tar would cost more than reading it. */
const PROGRESS_INTERVAL_MS = 100;

function sourceName(source: LayoutSource): string {
  return source.kind === 'tar' ? source.file.name : source.name;
}

export function useOpenLayout() {
  const [state, setState] = useState<OpenState>({ phase: 'idle' });
  const layouts = useSyncExternalStore(subscribeToLayouts, loadedLayouts);

  const open = async (source: LayoutSource) => {
    const name = sourceName(source);
    setState({ phase: 'reading', name, bytesRead: 0, total: source.kind === 'tar' ? source.file.size : 0 });
    let shown = 0;
    const onProgress = (bytesRead: number, total: number) => {
      const now = performance.now();
      if (now - shown < PROGRESS_INTERVAL_MS) return;
      shown = now;
      setState({ phase: 'reading', name, bytesRead, total });
    };
    try {
      const layout =
        source.kind === 'tar' ? await openLayoutFromTar(source.file, name, onProgress) : await openLayoutFromFiles(source.files, name);
      setState({ phase: 'opened', layout: addLayout(layout) });
    } catch (error) {
      // Layout problems have their own sentences; anything else is the browser failing to read the file.
      const message =
        error instanceof OciLayoutError
          ? error.message
          : `The file could not be read: ${error instanceof Error ? error.message : String(error)}`;
      setState({ phase: 'failed', name, message });
    }
  };

  return { state, layouts, open };
}
