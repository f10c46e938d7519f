/** Hash routes (#/boards/ID/g/GEN …): links survive a reload and the server needs no route of its own. */
import { useEffect, useState } from "react";

export type Route =
  | { name: "boards" }
  | { name: "board"; boardId: string; generationId: string | null }
  | { name: "feed" }
  | { name: "explore" }
  | { name: "search"; q: string; board?: string }
  | { name: "account" }
  | { name: "link"; kind: "verify" | "reset" | "invitation"; token: string };

const LINKS: Record<string, "verify" | "reset" | "invitation"> = {
  "/verify-email": "verify",
  "/reset-password": "reset",
  "/invitations/accept": "invitation",
};

/** A mailed link (/verify-email?token=…) or, everywhere else, the hash route. */
export function parseLocation(where: { pathname: string; search: string; hash: string }): Route {
  const kind = LINKS[where.pathname.replace(/\/+$/, "")];
  if (kind) return { name: "link", kind, token: new URLSearchParams(where.search).get("token") ?? "" };
  return parseRoute(where.hash);
}

export function parseRoute(hash: string): Route {
  const [path = "", query = ""] = hash.replace(/^#/, "").split("?");
  const parts = path.split("/").filter(Boolean);
  const params = new URLSearchParams(query);
  if (parts[0] === "boards" && parts[1]) {
    return { name: "board", boardId: parts[1], generationId: parts[2] === "g" ? (parts[3] ?? null) : null };
  }
  if (parts[0] === "feed") return { name: "feed" };
  if (parts[0] === "explore") return { name: "explore" };
  if (parts[0] === "search") {
    const board = params.get("board");
    return { name: "search", q: params.get("q") ?? "", ...(board ? { board } : {}) };
  }
  if (parts[0] === "account") return { name: "account" };
  return { name: "boards" };
}

export function hrefOf(route: Route): string {
  switch (route.name) {
    case "board":
      return `#/boards/${route.boardId}${route.generationId ? `/g/${route.generationId}` : ""}`;
    case "search":
      return `#/search?q=${encodeURIComponent(route.q)}${route.board ? `&board=${encodeURIComponent(route.board)}` : ""}`;
    case "boards":
      return "#/";
    case "link":
      return "#/";
    default:
      return `#/${route.name}`;
  }
}

export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const href = hrefOf(route);
  if (globalThis.location.pathname !== "/") {
    globalThis.location.assign(`/${href}`); // leave a mailed link's path for the app's own
    return;
  }
  if (options.replace) globalThis.history.replaceState(null, "", href);
  else globalThis.history.pushState(null, "", href);
  globalThis.dispatchEvent(new HashChangeEvent("hashchange"));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseLocation(globalThis.location));
  useEffect(() => {
    const update = () => setRoute(parseLocation(globalThis.location));
    globalThis.addEventListener("hashchange", update);
    globalThis.addEventListener("popstate", update);
    return () => {
      globalThis.removeEventListener("hashchange", update);
      globalThis.removeEventListener("popstate", update);
    };
  }, []);
  return route;
}
