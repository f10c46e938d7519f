/** The public feed: what people made on public boards, newest first, a page at a time. */
import { type Generation, useFeed } from "../../../src";
import { ErrorText } from "../common/Dialog";
import { excerpt, promptOf, timeAgo } from "../common/format";
import { hrefOf } from "../common/router";

export function FeedPage() {
  const feed = useFeed(24);
  return (
    <main className="page" id="main">
      <h1>Feed</h1>
      <p className="muted">The newest work on public boards.</p>
      {feed.isLoading && <p className="muted">Loading…</p>}
      <ErrorText error={feed.error} />
      {!feed.isLoading && feed.items.length === 0 && <p className="empty">Nothing public yet. Make a board public to show its work here.</p>}
      <ul className="feed-grid" aria-label="Feed">
        {feed.items.map((g) => (
          <li key={g.id}><FeedTile generation={g} /></li>
        ))}
      </ul>
      {feed.hasNextPage && (
        <button type="button" className="secondary" onClick={() => feed.fetchNextPage()} disabled={feed.isFetchingNextPage}>
          Load more
        </button>
      )}
    </main>
  );
}

export function FeedTile({ generation: g }: { generation: Generation }) {
  const src = g.thumbnailUrl ?? (g.artifactType === "image" ? g.storageUrl : null);
  const prompt = promptOf(g.inputParams) || g.generatorName;
  return (
    <a className="feed-tile" href={hrefOf({ name: "board", boardId: g.boardId, generationId: g.id })}>
      <div className="media">{src ? <img src={src} alt="" loading="lazy" /> : <span className="type-icon">{g.artifactType}</span>}</div>
      <span className="prompt">{excerpt(prompt, 70)}</span>
      <span className="muted small">{g.generatorName} · {timeAgo(g.createdAt)}</span>
    </a>
  );
}
