/**
 * A scrolling box that renders only the rows in view, so a listing of 100,000 files or a
 * 20,000-line text preview scrolls as smoothly as a short one.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { type ReactNode, useRef } from 'react';

export function VirtualRows({
  count,
  rowHeight,
  renderRow,
  className,
  testId,
  maxHeight = '70vh',
}: {
  count: number;
  rowHeight: number;
  renderRow: (index: number) => ReactNode;
  className?: string;
  testId?: string;
  maxHeight?: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 20,
  });
  return (
    <div ref={scrollRef} className={`virtual-scroll ${className ?? ''}`} style={{ maxHeight }} data-testid={testId} role="list">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => (
          <div
            key={item.key}
            role="listitem"
            className="virtual-row"
            style={{ position: 'absolute', top: 0, left: 0, right: 0, height: rowHeight, transform: `translateY(${item.start}px)` }}
          >
            {renderRow(item.index)}
          </div>
        ))}
      </div>
    </div>
  );
}
