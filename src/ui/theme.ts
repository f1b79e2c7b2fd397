/**
 * The colour theme: the system's (default), or light or dark chosen by the person and remembered
 * in this browser (localStorage). The choice is an attribute on <html> that the stylesheet reads;
 * "system" removes it, leaving `prefers-color-scheme` in charge. Applied when this module loads,
 * before the first render, so a remembered choice does not flash the other theme for long.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';

export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];
const STORAGE_KEY = 'ociscope.theme';

function isChoice(value: unknown): value is ThemeChoice {
  return typeof value === 'string' && (THEME_CHOICES as readonly string[]).includes(value);
}

export function storedTheme(): ThemeChoice {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isChoice(value) ? value : 'system';
  } catch {
    return 'system'; // storage disabled (privacy settings): the system's theme
  }
}

function apply(choice: ThemeChoice): void {
  if (choice === 'system') delete document.documentElement.dataset['theme'];
  else document.documentElement.dataset['theme'] = choice;
}

/** Applies and remembers a choice. */
export function chooseTheme(choice: ThemeChoice): void {
  apply(choice);
  try {
    if (choice === 'system') localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, choice);
  } catch {
    // Not remembered, but applied for this page.
  }
}

if (typeof document !== 'undefined') apply(storedTheme());
