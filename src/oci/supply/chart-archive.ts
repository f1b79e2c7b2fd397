/**
 * The files of a Helm chart archive (`tar+gzip`), read from its verified bytes: the list of
 * paths, and the text of the top-level Chart.yaml and values.yaml (helm.sh/docs/topics/charts).
 * Gunzip is the platform's DecompressionStream, tar is our own reader (src/oci/layer/tar.ts);
 * the other files are for the layer explorer to browse.
 */
import { TarParser } from '../layer/tar';
import { TarFormatError } from '../layer/tar-entry';
import { chartFilePaths } from './helm';

/** values.yaml of real charts is at most a few hundred KiB; beyond this it is cut, and said. */
const MAX_TEXT_BYTES = 1024 * 1024;

export interface ChartArchive {
  files: string[];
  chartYaml?: string;
  valuesYaml?: string;
  problems: string[];
}

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes.slice().buffer as ArrayBuffer]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function readChartArchive(bytes: Uint8Array): Promise<ChartArchive> {
  const problems: string[] = [];
  let tar: Uint8Array;
  try {
    tar = bytes[0] === 0x1f && bytes[1] === 0x8b ? await gunzip(bytes) : bytes;
  } catch (error) {
    return { files: [], problems: [`The chart archive does not gunzip: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const files: string[] = [];
  const contents = new Map<string, Uint8Array[]>();
  const parser = new TarParser({
    entry: (entry) => {
      if (entry.type === 'file') files.push(entry.path);
    },
    data: (entry, chunk) => {
      if (!/^[^/]+\/(Chart|values)\.yaml$/.test(entry.path)) return;
      const parts = contents.get(entry.path) ?? [];
      if (parts.reduce((n, p) => n + p.length, 0) < MAX_TEXT_BYTES) parts.push(chunk.slice());
      contents.set(entry.path, parts);
    },
  });
  try {
    parser.push(tar);
    parser.end();
  } catch (error) {
    if (!(error instanceof TarFormatError)) throw error;
    problems.push(`The chart archive is not a valid tar: ${error.message}`);
  }
  const text = (path: string | undefined) => {
    const parts = path ? contents.get(path) : undefined;
    if (!parts) return undefined;
    const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      joined.set(p, at);
      at += p.length;
    }
    if (joined.length >= MAX_TEXT_BYTES) problems.push(`${path} is over ${MAX_TEXT_BYTES / 1024} KiB; only its start is shown.`);
    return new TextDecoder('utf-8', { fatal: false }).decode(joined.subarray(0, MAX_TEXT_BYTES));
  };
  const { chartYaml, valuesYaml } = chartFilePaths(files);
  if (!chartYaml) problems.push('The archive has no Chart.yaml in its top directory: it is not a Helm chart.');
  return { files, chartYaml: text(chartYaml), valuesYaml: text(valuesYaml), problems };
}
