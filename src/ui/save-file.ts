/**
 * Hands bytes the page already holds to the browser's download manager under a file name, via
 * a short-lived object URL. Used where the bytes must be checked before the user gets them
 * (a verified blob download, a file taken out of a verified layer), which a plain
 * `<a href download>` to the proxy cannot do.
 */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // The click starts the download synchronously; the URL is not needed after this task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
