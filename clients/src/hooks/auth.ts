/** Local accounts: sign up, log in, log out, refresh; `user` is the signed-in user (or the dev user in `none` mode). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import { tokensFromSession, unwrap } from "../client";
import { problemToError } from "../errors";
import { MeDocument } from "../generated/graphql";
import type { components } from "../generated/openapi";
import { keys, useAtelier } from "./context";

export type LogInInput = components["schemas"]["LogInInput"];
export type AuthConfig = components["schemas"]["AuthConfig"];
export type PasswordChangeInput = components["schemas"]["PasswordChangeInput"];
export type SignUpInput = components["schemas"]["SignUpInput"];
export type PasswordResetInput = components["schemas"]["PasswordResetInput"];

export function useAuth() {
  const client = useAtelier();
  const queries = useQueryClient();
  const tokens = useSyncExternalStore(client.tokens.subscribe, client.tokens.get, client.tokens.get);
  const me = useQuery({ queryKey: [...keys.me, tokens?.accessToken ?? null], queryFn: () => client.graphql(MeDocument, {}) });
  const signedIn = async (session: components["schemas"]["AuthSession"]) => {
    client.tokens.set(tokensFromSession(session));
    await queries.invalidateQueries();
    return session;
  };
  const logIn = useMutation({
    mutationFn: async (body: LogInInput) => signedIn(await unwrap(client.rest.POST("/api/v1/auth/login", { body }))),
  });
  const signUp = useMutation({
    mutationFn: async (body: SignUpInput) => signedIn(await unwrap(client.rest.POST("/api/v1/auth/signup", { body }))),
  });
  const logOut = useMutation({
    mutationFn: async () => {
      const refreshToken = client.tokens.get()?.refreshToken;
      if (refreshToken) await client.rest.POST("/api/v1/auth/logout", { body: { refreshToken } });
      client.tokens.set(null);
      queries.clear();
    },
  });
  return {
    user: me.data?.me ?? null,
    isLoading: me.isLoading,
    isAuthenticated: tokens !== null,
    tokens,
    logIn,
    signUp,
    logOut,
    refresh: () => client.refresh(),
  };
}

/** How the server signs people in (mode, local accounts, e-mail verification, reset): which screens to show. */
export function useAuthConfig() {
  const client = useAtelier();
  const query = useQuery({
    queryKey: keys.authConfig,
    staleTime: 300_000,
    queryFn: () => unwrap(client.rest.GET("/api/v1/auth/config")),
  });
  return { ...query, config: query.data ?? null };
}

/** Change the signed-in user's password. The server ends every session of the user, this one too, so the
 * hook signs this one in again with the new password: only the other sessions end. */
export function useChangePassword() {
  const client = useAtelier();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: async (body: PasswordChangeInput) => {
      const email = (await client.graphql(MeDocument, {})).me?.email;
      const { response, error } = await client.rest.POST("/api/v1/auth/password", { body });
      if (!response.ok) throw problemToError(error, response.status);
      if (!email) return;
      const login = client.rest.POST("/api/v1/auth/login", {
        body: { email, password: body.newPassword },
        fetch: client.fetchAnonymous, // the held bearer was just revoked
      });
      client.tokens.set(tokensFromSession(await unwrap(login)));
      await queries.invalidateQueries();
    },
  });
}

/** An account call that answers with no body (202/204): throws the problem when it fails. */
async function settled(call: Promise<{ error?: unknown; response: Response }>): Promise<void> {
  const { response, error } = await call;
  if (!response.ok) throw problemToError(error, response.status);
}

/** The e-mail flows: verify an address (the link's token), mail the link again, ask for and use a reset link,
 * join a board from an invitation link. */
export function useEmailFlows() {
  const client = useAtelier();
  const queries = useQueryClient();
  const verify = useMutation({
    mutationFn: (token: string) => unwrap(client.rest.POST("/api/v1/auth/verify", { body: { token } })),
    onSuccess: () => queries.invalidateQueries(),
  });
  const resend = useMutation({ mutationFn: () => settled(client.rest.POST("/api/v1/auth/verify/resend")) });
  const requestReset = useMutation({
    mutationFn: (email: string) => settled(client.rest.POST("/api/v1/auth/password-reset", { body: { email } })),
  });
  const reset = useMutation({
    mutationFn: (body: PasswordResetInput) => settled(client.rest.POST("/api/v1/auth/password-reset/confirm", { body })),
  });
  const acceptInvitation = useMutation({
    mutationFn: (token: string) => unwrap(client.rest.POST("/api/v1/invitations/accept", { body: { token } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: keys.boards }),
  });
  return { verify, resend, requestReset, reset, acceptInvitation };
}
