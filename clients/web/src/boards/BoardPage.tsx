/** One board: its header (settings, members), the generator panel, the gallery and the detail lightbox. */
import { useCallback, useState } from "react";
import { type Generation, useBoard, useBoardGallery } from "../../../src";
import { Dialog, ErrorText } from "../common/Dialog";
import { plural } from "../common/format";
import { hrefOf, navigate } from "../common/router";
import { Lightbox } from "../detail/Lightbox";
import { Gallery, useGalleryView } from "../gallery/Gallery";
import { GeneratorPanel, type Recall } from "../generate/GeneratorPanel";
import { BoardSettings } from "./BoardSettings";
import { MembersPanel } from "./MembersPanel";

export function BoardPage(props: { boardId: string; generationId: string | null }) {
  const { board, permissions, isLoading, error } = useBoard(props.boardId);
  const gallery = useBoardGallery(props.boardId);
  const { generations, hasNextPage, isFetchingNextPage, fetchNextPage } = gallery;
  const view = useGalleryView(props.boardId, generations);
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const [recall, setRecall] = useState<Recall | null>(null);
  const [dialog, setDialog] = useState<"settings" | "members" | null>(null);
  if (isLoading) return <main className="page" id="main"><p className="muted">Loading board…</p></main>;
  if (error) return <main className="page" id="main"><ErrorText error={error} /></main>;
  if (!board || !permissions) return <main className="page" id="main"><p className="error">This board does not exist or is not shared with you.</p></main>;

  const open = (id: string | null) => navigate({ name: "board", boardId: board.id, generationId: id });
  const useSettings = (generation: Generation) => {
    setRecall({ generatorName: generation.generatorName, inputParams: generation.inputParams as Record<string, unknown>, at: Date.now() });
    open(null);
  };
  return (
    <main className="page board-page" id="main">
      <header className="board-head">
        <div>
          <h1>{board.title}</h1>
          {board.description && <p className="desc">{board.description}</p>}
          <p className="muted small">
            {board.isPublic && <span className="badge">Public</span>} {permissions.role} · {plural(board.members.length + 1, "person", "people")} ·{" "}
            {plural(board.generationCount, "item", "items")}
          </p>
        </div>
        <div className="row">
          <a className="button secondary" href={hrefOf({ name: "search", q: "", board: board.id })}>Search this board</a>
          <button type="button" className="secondary" onClick={() => setDialog("members")}>Members</button>
          {permissions.canEdit && (
            <button type="button" className="secondary" onClick={() => setDialog("settings")}>Board settings</button>
          )}
        </div>
      </header>
      <div className={permissions.canGenerate ? "board-body" : "board-body solo"}>
        {permissions.canGenerate && (
          <GeneratorPanel boardId={board.id} recall={recall} gallery={generations} />
        )}
        <Gallery
          view={view}
          generations={generations}
          total={gallery.total}
          onOpen={(g) => open(g.id)}
          onNearEnd={loadMore}
          canEdit={permissions.canGenerate}
        />
      </div>
      {props.generationId && (
        <Lightbox
          generationId={props.generationId}
          list={view.shown.some((g) => g.id === props.generationId) ? view.shown : generations}
          canEdit={permissions.canGenerate}
          onNavigate={open}
          onUseSettings={permissions.canGenerate ? useSettings : undefined}
        />
      )}
      <Dialog label="Board settings" open={dialog === "settings"} onClose={() => setDialog(null)}>
        <BoardSettings board={board} canDelete={permissions.canDelete} onClose={() => setDialog(null)} />
      </Dialog>
      <Dialog label="Members" open={dialog === "members"} onClose={() => setDialog(null)}>
        <MembersPanel board={board} canManage={permissions.canManageMembers} onClose={() => setDialog(null)} />
      </Dialog>
    </main>
  );
}
