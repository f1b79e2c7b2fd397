/**
 * One colour per layer, the same in the treemap, its legend and the tables: hues a golden angle
 * apart, so neighbouring layers never look alike however many there are.
 */
export function layerColour(layerIndex: number | undefined): string {
  if (layerIndex === undefined) return 'var(--muted-bg, #ccc)';
  return `hsl(${(layerIndex * 137.508 + 200) % 360} 60% 62%)`;
}

/** The label a layer goes by on every page: L1 is the base. */
export function layerLabel(layerIndex: number): string {
  return `L${layerIndex + 1}`;
}
