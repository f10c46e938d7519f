/** Tokens and the authenticated fetch every request goes through (REST, GraphQL, SSE, uploads). */
import type { components } from "./generated/openapi";

export type AuthSession = components["schemas"]["AuthSession"];

export interface Tokens {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch milliseconds; refreshed shortly before. */
  expiresAt: number;
}

/** Where tokens live: memory by default, localStorage in the browser app (survives a reload). */
export interface TokenStore {
  get(): Tokens | null;
  set(tokens: Tokens | null): void;
  subscribe(listener: () => void): () => void;
}

export function memoryTokenStore(initial: Tokens | null = null): TokenStore {
  let current = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => current,
    set(tokens) {
      current = tokens;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function localStorageTokenStore(key = "atelier.tokens"): TokenStore {
  const raw = globalThis.localStorage?.getItem(key);
  const store = memoryTokenStore(raw ? (JSON.parse(raw) as Tokens) : null);
  store.subscribe(() => {
    const tokens = store.get();
    if (tokens) globalThis.localStorage?.setItem(key, JSON.stringify(tokens));
    else globalThis.localStorage?.removeItem(key);
  });
  return store;
}

export function tokensFromSession(session: AuthSession): Tokens {
  return {
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
    expiresAt: Date.parse(session.expiresAt),
  };
}

const REFRESH_MARGIN_MS = 30_000;

/**
 * fetch with the bearer token: refreshes shortly before expiry, and once more on a 401 (then retries the
 * request once). Concurrent callers share one refresh, since refresh tokens rotate and reuse is detected.
 */
export function authenticatedFetch(
  baseUrl: string,
  tokens: TokenStore,
  rawFetch: typeof fetch,
  extraHeaders: () => Record<string, string> = () => ({}),
): { fetch: (request: Request) => Promise<Response>; refresh: () => Promise<Tokens | null> } {
  let inFlight: Promise<Tokens | null> | null = null;

  async function doRefresh(): Promise<Tokens | null> {
    const current = tokens.get();
    if (!current?.refreshToken) return null;
    const response = await rawFetch(`${baseUrl}/api/v1/auth/refresh`, {
      method: "POST",
      headers: { "content-type": "application/json", ...extraHeaders() },
      body: JSON.stringify({ refreshToken: current.refreshToken }),
    });
    if (!response.ok) {
      tokens.set(null); // rotated away or revoked: log in again
      return null;
    }
    const next = tokensFromSession((await response.json()) as AuthSession);
    tokens.set(next);
    return next;
  }

  function refresh(): Promise<Tokens | null> {
    inFlight ??= doRefresh().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  function withAuth(request: Request, access: string | undefined): Request {
    const headers = new Headers(request.headers);
    for (const [name, value] of Object.entries(extraHeaders())) headers.set(name, value);
    if (access) headers.set("authorization", `Bearer ${access}`);
    return new Request(request, { headers });
  }

  async function send(request: Request): Promise<Response> {
    let current = tokens.get();
    if (current?.refreshToken && current.expiresAt - Date.now() < REFRESH_MARGIN_MS) current = await refresh();
    const retry = request.clone();
    const response = await rawFetch(withAuth(request, current?.accessToken));
    if (response.status !== 401 || !current?.refreshToken) return response;
    const renewed = await refresh();
    return renewed ? rawFetch(withAuth(retry, renewed.accessToken)) : response;
  }

  return { fetch: send, refresh };
}
