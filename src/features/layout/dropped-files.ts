/**
 * What was dropped on the layout page, as the same sources the file inputs give: one file (a
 * layout tar) or a directory read recursively into files with paths relative to where it was
 * dropped, like `webkitRelativePath` (File and Directory Entries API, as browsers implement it).
 */
import type { LayoutSource } from './use-open-layout';

function readBatch(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function collect(entry: FileSystemEntry, into: { path: string; file: File }[]): Promise<void> {
  if (entry.isFile) {
    into.push({ path: entry.fullPath.replace(/^\/+/, ''), file: await fileOf(entry as FileSystemFileEntry) });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries answers in batches (about 100 in Chromium) until it answers an empty one.
  for (let batch = await readBatch(reader); batch.length > 0; batch = await readBatch(reader)) {
    for (const child of batch) await collect(child, into);
  }
}

export async function droppedSource(transfer: DataTransfer): Promise<LayoutSource | undefined> {
  // Entries must be taken while the drop event is being handled; the list empties afterwards.
  const entries = Array.from(transfer.items, (item) => item.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  const first = entries[0];
  const file = transfer.files.length === 1 ? transfer.files[0] : undefined;
  // Without entries (a browser without the API, or a drop made by a script) a single file is a tar.
  if (first === undefined || first.isFile) return file && entries.length <= 1 ? { kind: 'tar', file } : undefined;
  if (entries.length !== 1) return undefined;
  const files: { path: string; file: File }[] = [];
  await collect(first, files);
  return { kind: 'directory', name: first.name, files };
}
