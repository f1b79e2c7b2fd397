/**
 * Image config against image config (image-spec config.md; Docker image spec v1): what a
 * container of B starts with that one of A does not. Scalars (platform, user, working dir, …) and
 * argument vectors (entrypoint, cmd) compare whole; env compares by variable name, the way a
 * process sees it (the last `NAME=` wins, as the runtime's environment does); labels, ports and
 * volumes by key; history is aligned as a sequence (jsdiff's diffArrays) by the step that made
 * each entry, so a base image's steps line up even when the derived image added some of its own.
 */
import { diffArrays } from 'diff';
import type { HistoryEntry, ImageConfig } from '../spec/image-config';
import { type ChangeStatus, type KeyedChange, countChanged, diffRecords, diffSets } from './keyed-diff';

export type ConfigField =
  'platform' | 'osVersion' | 'created' | 'author' | 'user' | 'workingDir' | 'entrypoint' | 'cmd' | 'stopSignal' | 'diffIds';

export interface FieldChange {
  field: ConfigField;
  /** How the field is called in the config JSON, which is what people search for. */
  label: string;
  status: ChangeStatus;
  a?: string | readonly string[];
  b?: string | readonly string[];
}

export interface HistoryRow {
  status: 'same' | 'added' | 'removed';
  a?: HistoryEntry;
  b?: HistoryEntry;
  /** Same step on both sides, run at another time (a rebuild). */
  createdChanged?: boolean;
}

export interface ConfigDiff {
  fields: FieldChange[];
  env: KeyedChange<string>[];
  labels: KeyedChange<string>[];
  exposedPorts: KeyedChange<string>[];
  volumes: KeyedChange<string>[];
  history: HistoryRow[];
  /** Fields, variables, labels, ports, volumes and history steps that differ. */
  changedCount: number;
}

type FieldValue = string | readonly string[] | undefined;

function sameValue(a: FieldValue, b: FieldValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

function field(name: ConfigField, label: string, a: FieldValue, b: FieldValue): FieldChange {
  const status: ChangeStatus =
    a === undefined && b === undefined
      ? 'same'
      : a === undefined
        ? 'added'
        : b === undefined
          ? 'removed'
          : sameValue(a, b)
            ? 'same'
            : 'changed';
  return { field: name, label, status, ...(a !== undefined && { a }), ...(b !== undefined && { b }) };
}

function platformOf(config: ImageConfig): string | undefined {
  if (!config.os && !config.architecture) return undefined;
  return [config.os ?? '?', config.architecture ?? '?', config.variant].filter(Boolean).join('/');
}

/** `NAME=value` lines as the process sees them; a line without `=` names a variable with no value. */
export function environmentOf(env: readonly string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of env) {
    const eq = line.indexOf('=');
    if (eq < 0) vars[line] = '';
    else vars[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return vars;
}

function sameStep(x: HistoryEntry, y: HistoryEntry): boolean {
  return x.createdBy === y.createdBy && x.emptyLayer === y.emptyLayer;
}

/** History entries aligned step by step; unchanged steps pair up, the rest are added or removed. */
export function alignHistory(a: readonly HistoryEntry[], b: readonly HistoryEntry[]): HistoryRow[] {
  const rows: HistoryRow[] = [];
  let i = 0;
  let j = 0;
  for (const change of diffArrays([...a], [...b], { comparator: sameStep })) {
    for (let k = 0; k < change.count; k++) {
      if (change.added) rows.push({ status: 'added', b: b[j++]! });
      else if (change.removed) rows.push({ status: 'removed', a: a[i++]! });
      else {
        const x = a[i++]!;
        const y = b[j++]!;
        rows.push({ status: 'same', a: x, b: y, ...(x.created !== y.created && { createdChanged: true }) });
      }
    }
  }
  return rows;
}

/** Compares two image configs field by field. */
export function diffConfigs(a: ImageConfig, b: ImageConfig): ConfigDiff {
  const fields = [
    field('platform', 'os/architecture/variant', platformOf(a), platformOf(b)),
    field('osVersion', 'os.version', a.osVersion, b.osVersion),
    field('created', 'created', a.created, b.created),
    field('author', 'author', a.author, b.author),
    field('user', 'config.User', a.user, b.user),
    field('workingDir', 'config.WorkingDir', a.workingDir, b.workingDir),
    field('entrypoint', 'config.Entrypoint', a.entrypoint, b.entrypoint),
    field('cmd', 'config.Cmd', a.cmd, b.cmd),
    field('stopSignal', 'config.StopSignal', a.stopSignal, b.stopSignal),
    field('diffIds', 'rootfs.diff_ids', a.diffIds, b.diffIds),
  ];
  const env = diffRecords(environmentOf(a.env), environmentOf(b.env));
  const labels = diffRecords(a.labels, b.labels);
  const exposedPorts = diffSets(a.exposedPorts, b.exposedPorts);
  const volumes = diffSets(a.volumes, b.volumes);
  const history = alignHistory(a.history, b.history);
  const changedCount =
    countChanged(fields) +
    countChanged(env) +
    countChanged(labels) +
    countChanged(exposedPorts) +
    countChanged(volumes) +
    countChanged(history);
  return { fields, env, labels, exposedPorts, volumes, history, changedCount };
}
