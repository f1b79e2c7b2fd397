/**
 * Copies a value with one click and says so, on the button and to screen readers (announcer.tsx).
 * The button's accessible name says what is copied ("Copy digest"), so a row of them is not a row
 * of identical "Copy" buttons.
 *
 * Where the Clipboard API is missing (a page served over plain http to another host is not a
 * secure context) the older `execCommand('copy')` on a hidden text area still works; when both
 * fail the button says so rather than pretending.
 */
import { useEffect, useState } from 'react';
import { announce } from './announcer';

/** How long "Copied" stays on the button. */
const CONFIRM_MS = 2000;

async function writeClipboard(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // Denied (permissions, no user activation in a frame): the legacy path may still be allowed.
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  try {
    if (!document.execCommand('copy')) throw new Error('copy refused');
  } finally {
    area.remove();
  }
}

export function CopyButton({
  text,
  what,
  label = 'Copy',
  testId,
}: {
  /** The exact value that lands on the clipboard. */
  text: string;
  /** What it is, in words: "digest", "reference", "pull command by digest". */
  what: string;
  /** The visible text. "Copy" gets the accessible name "Copy <what>"; any other label must say itself what it copies. */
  label?: string;
  testId?: string;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), CONFIRM_MS);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = () => {
    writeClipboard(text).then(
      () => {
        setState('copied');
        announce(`${what[0]!.toUpperCase()}${what.slice(1)} copied to the clipboard`);
      },
      () => {
        setState('failed');
        announce(`Could not copy the ${what}: the browser refused access to the clipboard`);
      },
    );
  };
  return (
    <button
      type="button"
      className={`copy ${state}`}
      onClick={copy}
      aria-label={label === 'Copy' ? `Copy ${what}` : undefined}
      title={text}
      data-testid={testId}
      data-state={state}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
    </button>
  );
}
