/** createAtelierClient: the typed REST client (openapi-fetch on the generated paths), GraphQL, SSE, uploads. */
import createClient from "openapi-fetch";
import { type TokenStore, authenticatedFetch, memoryTokenStore, tokensFromSession } from "./auth";
import { ApiError, problemToError } from "./errors";
import type { TypedDocumentString } from "./generated/graphql";
import type { paths } from "./generated/openapi";
import { openSse, type SseOptions } from "./sse";

export interface AtelierClientOptions {
  /** Origin of the server, e.g. "http://127.0.0.1:8000"; default: the page's origin. */
  baseUrl?: string;
  tokens?: TokenStore;
  /** X-Tenant header, for servers in tenant "header" mode. */
  tenant?: string;
  fetch?: typeof fetch;
}

export type RestClient = ReturnType<typeof createClient<paths>>;

export interface AtelierClient {
  baseUrl: string;
  rest: RestClient;
  tokens: TokenStore;
  /** fetch with auth (bearer, refresh, tenant): for anything not covered by the typed calls. */
  fetch: (request: Request) => Promise<Response>;
  /** fetch without the bearer (tenant header only): signing in again once the held session has ended. */
  fetchAnonymous: (request: Request) => Promise<Response>;
  graphql<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R>;
  /** A raw GraphQL document (one not validated at build time, e.g. waiting for server support). */
  graphqlRaw<R>(query: string, variables: Record<string, unknown>): Promise<R>;
  sse(path: string, options: Omit<SseOptions, "fetch">): () => void;
  url(path: string): string;
  refresh(): Promise<boolean>;
}

export function createAtelierClient(options: AtelierClientOptions = {}): AtelierClient {
  const origin = globalThis.location?.origin ?? "";
  const baseUrl = (options.baseUrl ?? origin).replace(/\/$/, "");
  const tokens = options.tokens ?? memoryTokenStore();
  const rawFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const extra = (): Record<string, string> => (options.tenant ? { "x-tenant": options.tenant } : {});
  const auth = authenticatedFetch(baseUrl, tokens, rawFetch, extra);
  const rest = createClient<paths>({ baseUrl, fetch: auth.fetch });

  async function post<R>(query: string, variables: unknown): Promise<R> {
    const response = await auth.fetch(
      new Request(`${baseUrl}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ query, variables }),
      }),
    );
    const body = (await response.json().catch(() => null)) as {
      data?: R;
      errors?: { message: string; extensions?: { code?: string } }[];
    } | null;
    if (body?.errors?.length) {
      const first = body.errors[0]!;
      throw new ApiError(first.message, response.status, first.extensions?.code ?? "GRAPHQL_ERROR", body.errors);
    }
    if (!response.ok || !body?.data) throw problemToError(body, response.status);
    return body.data;
  }

  return {
    baseUrl,
    rest,
    tokens,
    fetch: auth.fetch,
    fetchAnonymous: (request) => {
      const headers = new Headers(request.headers);
      for (const [name, value] of Object.entries(extra())) headers.set(name, value);
      return rawFetch(new Request(request, { headers }));
    },
    graphql: (document, variables) => post(document.toString(), variables),
    graphqlRaw: (query, variables) => post(query, variables),
    sse: (path, sseOptions) => openSse(`${baseUrl}${path}`, { ...sseOptions, fetch: auth.fetch }),
    url: (path) => (/^https?:/.test(path) ? path : `${baseUrl}${path}`),
    refresh: async () => (await auth.refresh()) !== null,
  };
}

/** Unwraps an openapi-fetch result: the data, or an ApiError built from the problem+json body. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) throw problemToError(error, response.status);
  return data as T;
}

export { tokensFromSession };
