/** The arithmetic of the virtualised grid: how many columns fit, and which rows are on screen. */

export interface GridLayout {
  columns: number;
  cardWidth: number;
  rowHeight: number;
}

/** Columns of at least `minCard` px across `width`; each row is a square medium plus `meta` px of text. */
export function gridLayout(width: number, options: { minCard: number; gap: number; meta: number }): GridLayout {
  const { minCard, gap, meta } = options;
  const columns = Math.max(1, Math.floor((Math.max(0, width) + gap) / (minCard + gap)));
  const cardWidth = columns === 1 ? Math.max(0, width) : (width - gap * (columns - 1)) / columns;
  return { columns, cardWidth, rowHeight: Math.round(cardWidth + meta + gap) };
}

/**
 * Rows [first, last) to render: those within the viewport, plus `overscan` rows each side. `offset` is how
 * far the grid's top lies above the viewport's top (negative while the grid starts below it).
 */
export function visibleRows(args: {
  offset: number;
  viewport: number;
  rowHeight: number;
  rowCount: number;
  overscan: number;
}): { first: number; last: number } {
  const { offset, viewport, rowHeight, rowCount, overscan } = args;
  if (rowCount === 0 || rowHeight <= 0) return { first: 0, last: 0 };
  const first = Math.floor(Math.max(0, offset) / rowHeight) - overscan;
  const last = Math.ceil(Math.max(0, offset + viewport) / rowHeight) + overscan;
  return { first: Math.max(0, Math.min(first, rowCount)), last: Math.max(0, Math.min(last, rowCount)) };
}
