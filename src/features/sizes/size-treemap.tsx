/**
 * The treemap: the zoomed-into directory's contents as rectangles sized by bytes and coloured by
 * the layer that stored them (a directory by the layer holding most of its bytes), laid out by
 * d3-hierarchy's squarified treemap. Two levels are drawn at once; a directory is a button that
 * zooms into it, every rectangle is focusable, and hovering or focusing one says what it is.
 * Small items are gathered into one "smaller items" rectangle so a directory of 100,000 files
 * draws a few hundred elements, not 100,000.
 */
import { hierarchy, treemap, treemapSquarify } from 'd3-hierarchy';
import { useMemo, useState } from 'react';
import type { SizeNode } from '../../oci/sizes/size-tree';
import { countOf, formatBytes } from '../../ui/format';
import { layerColour, layerLabel } from './layer-colours';

/** Items drawn per directory before the rest are gathered into one. */
const MAX_CHILDREN = 40;
/** Levels drawn below the zoomed directory. */
const DEPTH = 2;
const WIDTH = 1000;
const HEIGHT = 560;

interface Tile {
  node?: SizeNode;
  /** "N smaller items" gathered into one tile. */
  rest?: { count: number; size: number };
  children?: Tile[];
}

function tileOf(node: SizeNode, depth: number): Tile {
  if (!node.isDir || depth >= DEPTH || !node.children?.length) return { node };
  const shown = node.children.filter((c) => c.size > 0).slice(0, MAX_CHILDREN);
  const hidden = node.children.filter((c) => c.size > 0).slice(MAX_CHILDREN);
  const children = shown.map((c) => tileOf(c, depth + 1));
  if (hidden.length > 0) children.push({ rest: { count: hidden.length, size: hidden.reduce((n, c) => n + c.size, 0) } });
  return { node, children };
}

function describe(tile: Tile): string {
  if (tile.rest) return `${countOf(tile.rest.count, 'smaller item')}, ${formatBytes(tile.rest.size)}`;
  const node = tile.node!;
  const where = `/${node.path === '.' ? '' : node.path}${node.isDir ? '/' : ''}`;
  const layer =
    node.layerIndex === undefined ? '' : node.isDir ? `, mostly ${layerLabel(node.layerIndex)}` : `, ${layerLabel(node.layerIndex)}`;
  return `${where}: ${formatBytes(node.size)}${node.isDir ? ` in ${countOf(node.fileCount, 'file')}` : ''}${layer}`;
}

export function SizeTreemap({ focus, onZoom }: { focus: SizeNode; onZoom: (path: string) => void }) {
  // What is pointed at belongs to one zoom level: it is forgotten when the view zooms.
  const [pointedAt, setPointedAt] = useState<{ focus: SizeNode; label: string }>();
  const pointed = pointedAt?.focus === focus ? pointedAt.label : undefined;
  const setPointed = (label: string) => setPointedAt({ focus, label });
  const tiles = useMemo(() => {
    const root = hierarchy<Tile>(tileOf(focus, 0), (t) => t.children)
      .sum((t) => (t.children ? 0 : (t.rest?.size ?? t.node?.size ?? 0)))
      .sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
    return treemap<Tile>()
      .tile(treemapSquarify)
      .size([WIDTH, HEIGHT])
      .paddingOuter(2)
      .paddingTop(18)
      .paddingInner(1)
      .round(true)(root)
      .descendants()
      .slice(1);
  }, [focus]);
  if (focus.size === 0) return <p className="muted">No bytes here: only directories, links or empty files.</p>;
  return (
    <div className="treemap-wrap">
      <div className="treemap" data-testid="treemap" role="group" aria-label={`Sizes in ${describe({ node: focus })}`}>
        {tiles.map((t) => {
          const tile = t.data;
          const label = describe(tile);
          const style = {
            left: `${(t.x0 / WIDTH) * 100}%`,
            top: `${(t.y0 / HEIGHT) * 100}%`,
            width: `${((t.x1 - t.x0) / WIDTH) * 100}%`,
            height: `${((t.y1 - t.y0) / HEIGHT) * 100}%`,
            background: tile.rest ? undefined : layerColour(tile.node?.layerIndex),
          };
          const common = {
            className: `tile${tile.children ? ' group' : ''}${tile.rest ? ' rest' : ''}`,
            style,
            title: label,
            'aria-label': label,
            'data-path': tile.node?.path,
            'data-layer': tile.node?.layerIndex,
            onMouseEnter: () => setPointed(label),
            onFocus: () => setPointed(label),
          };
          const name = tile.rest ? `${tile.rest.count} more` : tile.node!.name;
          return tile.node?.isDir ? (
            <button
              key={`${t.depth}:${tile.node.path}`}
              type="button"
              data-testid="treemap-dir"
              onClick={() => onZoom(tile.node!.path)}
              {...common}
            >
              <span className="tile-name">{name}/</span>
            </button>
          ) : (
            <div
              key={`${t.depth}:${tile.node?.path ?? 'rest'}:${t.parent?.data.node?.path}`}
              data-testid="treemap-file"
              tabIndex={0}
              {...common}
            >
              <span className="tile-name">{name}</span>
            </div>
          );
        })}
      </div>
      <p className="treemap-details" data-testid="treemap-details" aria-live="polite">
        {pointed ?? 'Point at or focus a rectangle for its path, size and layer; click or press Enter on a directory to zoom in.'}
      </p>
    </div>
  );
}
