/** Test helpers: a client of the real server the suite was started with, and a provider to render hooks in. */
import { QueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { AtelierProvider, type AtelierClient, createAtelierClient, type AtelierClientOptions } from "../src";

export const SERVER = process.env.ATELIER_URL ?? "";
export const AUTH_SERVER = process.env.ATELIER_AUTH_URL ?? "";

export function makeClient(options: AtelierClientOptions = {}): AtelierClient {
  if (!SERVER) throw new Error("ATELIER_URL is not set: run through `make test` (tests/clients/test_web_client.py)");
  return createAtelierClient({ baseUrl: SERVER, ...options });
}

export function wrapperFor(client: AtelierClient) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return ({ children }: { children: ReactNode }) => (
    <AtelierProvider client={client} queryClient={queryClient}>
      {children}
    </AtelierProvider>
  );
}

export const unique = (prefix: string) => `${prefix} ${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
