/** The theme control in the page frame: system, light or dark, remembered (theme.ts). */
import { useState } from 'react';
import { chooseTheme, storedTheme, THEME_CHOICES, type ThemeChoice } from './theme';
import './ui.css';

const labels: Record<ThemeChoice, string> = { system: 'System theme', light: 'Light', dark: 'Dark' };

export function ThemeSwitch() {
  const [choice, setChoice] = useState(storedTheme);
  return (
    <label className="theme-switch">
      <span className="visually-hidden">Colour theme</span>
      <select
        value={choice}
        data-testid="theme-switch"
        onChange={(event) => {
          const next = event.target.value as ThemeChoice;
          chooseTheme(next);
          setChoice(next);
        }}
      >
        {THEME_CHOICES.map((c) => (
          <option key={c} value={c}>
            {labels[c]}
          </option>
        ))}
      </select>
    </label>
  );
}
