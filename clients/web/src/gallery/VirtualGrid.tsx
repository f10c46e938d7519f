/** A responsive grid that renders only the rows near the viewport (thousands of items stay fast). */
import { type ReactNode, useEffect, useLayoutEffect, useRef, useState } from "react";
import { gridLayout, visibleRows } from "./windowing";

const OPTIONS = { minCard: 200, gap: 12, meta: 58 };

export function VirtualGrid<T>(props: {
  items: T[];
  keyOf: (item: T) => string;
  render: (item: T) => ReactNode;
  label: string;
  /** Called when the last rows come near the viewport (load the next page). */
  onNearEnd?: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [offset, setOffset] = useState(0);
  const [viewport, setViewport] = useState(() => globalThis.innerHeight || 800);

  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const update = () => {
      const rect = ref.current?.getBoundingClientRect();
      if (rect) setOffset(-rect.top);
      setViewport(globalThis.innerHeight || 800);
    };
    update();
    globalThis.addEventListener("scroll", update, { passive: true });
    globalThis.addEventListener("resize", update);
    return () => {
      globalThis.removeEventListener("scroll", update);
      globalThis.removeEventListener("resize", update);
    };
  }, []);

  const layout = gridLayout(width || 1, OPTIONS);
  const rowCount = Math.ceil(props.items.length / layout.columns);
  const { first, last } = visibleRows({ offset, viewport, rowHeight: layout.rowHeight, rowCount, overscan: 2 });
  const nearEnd = rowCount > 0 && last >= rowCount - 1;
  const { onNearEnd } = props;
  useEffect(() => {
    if (nearEnd) onNearEnd?.();
  }, [nearEnd, onNearEnd, rowCount]);
  const rows = [];
  for (let row = first; row < last; row += 1) {
    const slice = props.items.slice(row * layout.columns, (row + 1) * layout.columns);
    rows.push(
      <div
        key={row}
        role="presentation"
        className="vrow"
        style={{ transform: `translateY(${row * layout.rowHeight}px)`, gridTemplateColumns: `repeat(${layout.columns}, 1fr)`, height: layout.rowHeight - OPTIONS.gap }}
      >
        {slice.map((item) => (
          <div role="listitem" key={props.keyOf(item)} className="vcell">{props.render(item)}</div>
        ))}
      </div>,
    );
  }
  return (
    <div ref={ref} role="list" aria-label={props.label} className="vgrid" style={{ height: rowCount * layout.rowHeight }} data-rendered={rows.length}>
      {rows}
    </div>
  );
}
