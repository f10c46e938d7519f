/** The board's gallery: a toolbar of filters and sort over a virtualised, live-updating grid. */
import { useMemo, useState } from "react";
import { type Generation, useBoardGenerationTags } from "../../../src";
import { applyFilters, batchOf, type GalleryFilters, NO_FILTERS, stackBatches } from "./filters";

/** Filters, sort and what they keep, held by the board page so the detail view steps through the same order. */
export function useGalleryView(boardId: string, generations: Generation[]) {
  const [filters, setFilters] = useState<GalleryFilters>(NO_FILTERS);
  const social = useBoardGenerationTags(boardId);
  const tags = useMemo(() => {
    const seen = new Map<string, string>();
    for (const entry of social.byId.values()) for (const t of entry.tags) seen.set(t.id, t.name);
    return [...seen].sort((a, b) => a[1].localeCompare(b[1]));
  }, [social.byId]);
  const shown = useMemo(() => applyFilters(generations, filters, social.byId), [generations, filters, social.byId]);
  return { filters, setFilters, social: social.byId, tags, shown };
}

export type GalleryView = ReturnType<typeof useGalleryView>;
import { BatchActions } from "./BatchActions";
import { GenerationCard } from "./GenerationCard";
import { VirtualGrid } from "./VirtualGrid";

const TYPES = ["all", "image", "video", "audio", "text"] as const;
const STATUSES = ["all", "active", "completed", "failed", "cancelled"] as const;

interface Props {
  view: GalleryView;
  generations: Generation[];
  /** All of the board's generations, loaded or not. */
  total: number;
  onOpen: (g: Generation) => void;
  onNearEnd?: () => void;
  canEdit: boolean;
}

export function Gallery(props: Props) {
  const { filters, setFilters, social, tags, shown } = props.view;
  const items = useMemo(() => (filters.batch ? shown.map((generation) => ({ generation, stack: 1, running: 0 })) : stackBatches(shown)), [shown, filters.batch]);
  const set = (patch: Partial<GalleryFilters>) => setFilters((f) => ({ ...f, ...patch }));
  return (
    <section className="gallery" aria-label="Gallery">
      <div className="toolbar" role="group" aria-label="Filters">
        <label>
          Type
          <select value={filters.artifactType} onChange={(e) => set({ artifactType: e.target.value as GalleryFilters["artifactType"] })}>
            {TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </label>
        <label>
          Status
          <select value={filters.status} onChange={(e) => set({ status: e.target.value as GalleryFilters["status"] })}>
            {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>
          Tag
          <select value={filters.tag} onChange={(e) => set({ tag: e.target.value })}>
            <option value="">any</option>
            {tags.map(([id, name]) => <option key={id} value={id}>{name}</option>)}
          </select>
        </label>
        <label>
          Sort
          <select value={filters.sort} onChange={(e) => set({ sort: e.target.value as GalleryFilters["sort"] })}>
            <option value="newest">newest first</option>
            <option value="oldest">oldest first</option>
            <option value="liked">most liked</option>
          </select>
        </label>
        {filters.batch && (
          <span className="chip">
            Variations of one batch
            <button type="button" className="link" aria-label="Show all generations" onClick={() => set({ batch: "" })}>×</button>
          </span>
        )}
        {filters.batch && props.canEdit && (
          <BatchActions batchId={filters.batch} items={shown} onNewBatch={(batch) => set({ batch })} />
        )}
        <span className="muted small" aria-live="polite">
          {shown.length} shown of {Math.max(props.total, props.generations.length)}
        </span>
      </div>
      {props.generations.length === 0 ? (
        <p className="empty">Nothing here yet. Describe something in the panel and press Generate.</p>
      ) : (
        <VirtualGrid
          label="Generations"
          items={items}
          keyOf={(item) => item.generation.id}
          onNearEnd={props.onNearEnd}
          render={({ generation: g, stack, running }) => (
            <GenerationCard
              generation={g}
              onOpen={() => props.onOpen(g)}
              canEdit={props.canEdit}
              likes={social.get(g.id)?.likeCount}
              stack={stack}
              stackRunning={running}
              onOpenStack={() => set({ batch: batchOf(g) ?? "" })}
            />
          )}
        />
      )}
    </section>
  );
}
