/** The web app: the server's auth mode decides whether a sign-in screen comes first; then a top bar and routes. */
import { type FormEvent, useEffect, useState } from "react";
import { type AuthConfig, useAuth, useAuthConfig } from "../../src";
import { AccountPage } from "./auth/AccountPage";
import { AuthScreen } from "./auth/AuthScreen";
import { EmailLinkPage } from "./auth/EmailLinkPage";
import { BoardPage } from "./boards/BoardPage";
import { BoardsPage } from "./boards/BoardsPage";
import { displayName } from "./common/format";
import { hrefOf, navigate, type Route, useRoute } from "./common/router";
import { ExplorePage } from "./discover/ExplorePage";
import { FeedPage } from "./discover/FeedPage";
import { SearchPage } from "./discover/SearchPage";

export function App() {
  const { config, isLoading, error } = useAuthConfig();
  const auth = useAuth();
  const route = useRoute();
  if (isLoading) return <p className="center muted">Loading…</p>;
  if (error || !config) return <p className="center error" role="alert">The server cannot be reached: {String(error)}</p>;
  const signedOut = config.mode !== "none" && !auth.isAuthenticated;
  if (route.name === "link" && (route.kind !== "invitation" || !signedOut)) {
    return <EmailLinkPage kind={route.kind} token={route.token} />; // a mailed link: verify, reset, join
  }
  if (signedOut) {
    if (config.localAccounts) return <AuthScreen config={config} />;
    return <p className="center">Sign in through this server's identity provider ({config.mode}).</p>;
  }
  return <Shell config={config} />;
}

function Shell(props: { config: AuthConfig }) {
  const route = useRoute();
  return (
    <>
      <a className="skip" href="#main">Skip to content</a>
      <TopBar config={props.config} route={route} />
      <Screen route={route} config={props.config} />
    </>
  );
}

function Screen(props: { route: Route; config: AuthConfig }) {
  const { route } = props;
  switch (route.name) {
    case "board":
      return <BoardPage key={route.boardId} boardId={route.boardId} generationId={route.generationId} />;
    case "feed":
      return <FeedPage />;
    case "explore":
      return <ExplorePage />;
    case "search":
      return <SearchPage q={route.q} board={route.board ?? ""} />;
    case "account":
      return <AccountPage config={props.config} />;
    default:
      return <BoardsPage />;
  }
}

const NAV: { label: string; route: Route }[] = [
  { label: "Boards", route: { name: "boards" } },
  { label: "Feed", route: { name: "feed" } },
  { label: "Explore", route: { name: "explore" } },
  { label: "Search", route: { name: "search", q: "" } },
];

function TopBar(props: { config: AuthConfig; route: Route }) {
  const { user, logOut } = useAuth();
  const [q, setQ] = useState(props.route.name === "search" ? props.route.q : "");
  useEffect(() => {
    if (props.route.name === "search") setQ(props.route.q);
  }, [props.route]);
  const search = (event: FormEvent) => {
    event.preventDefault();
    navigate({ name: "search", q: q.trim() }); // empty: every generation you may see, with facets
  };
  const current = props.route.name === "board" ? "boards" : props.route.name;
  return (
    <header className="topbar">
      <a className="brand" href="#/">Atelier</a>
      <nav aria-label="Main">
        {NAV.map((item) => (
          <a key={item.label} href={hrefOf(item.route)} aria-current={current === item.route.name ? "page" : undefined}>
            {item.label}
          </a>
        ))}
      </nav>
      <form role="search" className="search" onSubmit={search}>
        <input type="search" maxLength={100} aria-label="Search" placeholder="Search generations, boards, people" value={q} onChange={(e) => setQ(e.target.value)} />
      </form>
      <div className="account">
        <a href="#/account" aria-current={current === "account" ? "page" : undefined}>{displayName(user)}</a>
        {props.config.mode !== "none" && (
          <button type="button" className="secondary small" onClick={() => logOut.mutate()}>Log out</button>
        )}
      </div>
    </header>
  );
}
