/**
 * The image configuration (image-spec config.md; Docker image spec v1): what a container runs
 * and how its layers came to be. History entries and layers are joined the way the spec says:
 * every entry without `empty_layer: true` produced the next layer in order.
 */
import { isObject, stringArray, stringField } from './descriptor';

/** One `history` item of an image config. */
export interface HistoryEntry {
  created?: string;
  createdBy?: string;
  author?: string;
  comment?: string;
  emptyLayer: boolean;
}

/** The parts of an image config (image-spec config.md) the pages show. */
export interface ImageConfig {
  os?: string;
  architecture?: string;
  variant?: string;
  osVersion?: string;
  created?: string;
  author?: string;
  user?: string;
  env: string[];
  entrypoint?: string[];
  cmd?: string[];
  workingDir?: string;
  exposedPorts: string[];
  volumes: string[];
  labels: Record<string, string>;
  stopSignal?: string;
  diffIds: string[];
  history: HistoryEntry[];
}

function keysOf(value: unknown): string[] {
  return isObject(value) ? Object.keys(value) : [];
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(value)) for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Undefined when the JSON is not an object at all; otherwise every field it has that fits. */
export function readImageConfig(json: unknown): ImageConfig | undefined {
  if (!isObject(json)) return undefined;
  const c = isObject(json.config) ? json.config : {};
  const rootfs = isObject(json.rootfs) ? json.rootfs : {};
  const history = Array.isArray(json.history) ? json.history.filter(isObject) : [];
  return {
    os: stringField(json, 'os'),
    architecture: stringField(json, 'architecture'),
    variant: stringField(json, 'variant'),
    osVersion: stringField(json, 'os.version'),
    created: stringField(json, 'created'),
    author: stringField(json, 'author'),
    user: stringField(c, 'User'),
    env: stringArray(c.Env) ?? [],
    entrypoint: stringArray(c.Entrypoint),
    cmd: stringArray(c.Cmd),
    workingDir: stringField(c, 'WorkingDir'),
    exposedPorts: keysOf(c.ExposedPorts),
    volumes: keysOf(c.Volumes),
    labels: stringMap(c.Labels),
    stopSignal: stringField(c, 'StopSignal'),
    diffIds: stringArray(rootfs.diff_ids) ?? [],
    history: history.map((h) => ({
      created: stringField(h, 'created'),
      createdBy: stringField(h, 'created_by'),
      author: stringField(h, 'author'),
      comment: stringField(h, 'comment'),
      emptyLayer: h.empty_layer === true,
    })),
  };
}

/** A history entry and the layer it made, if it made one. */
export interface HistoryRow {
  entry: HistoryEntry;
  /** Index into the manifest's layers and rootfs.diff_ids, for entries that made a layer. */
  layerIndex?: number;
}

/** History joined to layers, with a warning when the counts disagree. */
export interface JoinedHistory {
  rows: HistoryRow[];
  /** Set when the counts disagree, which means the join cannot be trusted past that point. */
  mismatch?: string;
}

/** Joins history entries to layers: each non-empty entry made the next layer. */
export function joinHistory(config: ImageConfig): JoinedHistory {
  let next = 0;
  const rows = config.history.map((entry) => (entry.emptyLayer ? { entry } : { entry, layerIndex: next++ }));
  const layers = config.diffIds.length;
  const mismatch =
    next === layers ? undefined : `History describes ${next} layer${next === 1 ? '' : 's'} but rootfs.diff_ids lists ${layers}.`;
  return { rows, mismatch };
}
