/** <AtelierProvider>: one client and one react-query cache for every hook below it. */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useState } from "react";
import type { AtelierClient } from "../client";

const ClientContext = createContext<AtelierClient | null>(null);

export function AtelierProvider(props: { client: AtelierClient; queryClient?: QueryClient; children: ReactNode }) {
  const [fallback] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: 1, staleTime: 5_000 } } }));
  return (
    <ClientContext.Provider value={props.client}>
      <QueryClientProvider client={props.queryClient ?? fallback}>{props.children}</QueryClientProvider>
    </ClientContext.Provider>
  );
}

export function useAtelier(): AtelierClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error("Atelier hooks must be used inside <AtelierProvider>");
  return client;
}

/** Query keys, in one place so mutations invalidate exactly what they change. */
export const keys = {
  boards: ["boards"] as const,
  boardList: (params: object) => ["boards", "list", params] as const,
  boardSearch: (q: string) => ["boards", "search", q] as const,
  board: (id: string) => ["board", id] as const,
  me: ["me"] as const,
  authConfig: ["auth-config"] as const,
  boardOverviews: ["boards", "overviews"] as const,
  publicBoards: ["boards", "public"] as const,
  userSearch: (q: string) => ["users", "search", q] as const,
  invitations: (boardId: string) => ["board", boardId, "invitations"] as const,
  boardGenerationTags: (boardId: string) => ["generations", "board", boardId, "tags"] as const,
  estimate: (name: string, inputs: unknown) => ["estimate", name, inputs] as const,
  generators: (artifactType?: string) => ["generators", artifactType ?? "all"] as const,
  generation: (id: string) => ["generation", id] as const,
  boardGenerations: (boardId: string) => ["generations", "board", boardId] as const,
  lineage: (id: string) => ["lineage", id] as const,
  tags: ["tags"] as const,
  generationTags: (id: string) => ["tags", "generation", id] as const,
  likes: (id: string) => ["likes", id] as const,
  feed: ["feed"] as const,
};
