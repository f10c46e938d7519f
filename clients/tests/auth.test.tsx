import { act, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { createAtelierClient, memoryTokenStore, useAuth } from "../src";
import { AUTH_SERVER, unique, wrapperFor } from "./support";

// A second server with local accounts and 30-second access tokens (tests/clients/test_web_client.py).
describe.skipIf(!AUTH_SERVER)("auth hooks against a local-accounts server", () => {
  const client = createAtelierClient({ baseUrl: AUTH_SERVER, tokens: memoryTokenStore() });
  const wrapper = wrapperFor(client);
  const email = `${unique("u").replace(/[^a-z0-9]+/gi, "")}@example.test`;
  const password = "correct horse 42";

  it("sign up, log out, log in; calls carry the bearer token", async () => {
    const auth = renderHook(() => useAuth(), { wrapper });
    await waitFor(() => expect(auth.result.current.isLoading).toBe(false));
    expect(auth.result.current.user).toBeNull(); // anonymous
    await act(async () => {
      await auth.result.current.signUp.mutateAsync({ email, password });
    });
    await waitFor(() => expect(auth.result.current.user?.email).toBe(email));
    expect(auth.result.current.isAuthenticated).toBe(true);
    await act(async () => {
      await auth.result.current.logOut.mutateAsync();
    });
    expect(auth.result.current.isAuthenticated).toBe(false);
    await act(async () => {
      await auth.result.current.logIn.mutateAsync({ email, password });
    });
    await waitFor(() => expect(auth.result.current.user?.email).toBe(email));
    const boards = await client.rest.GET("/api/v1/boards");
    expect(boards.response.status).toBe(200);
  });

  it("refreshes a token about to expire before the call, and once on a 401 (then retries)", async () => {
    const before = client.tokens.get()!;
    expect(before.expiresAt - Date.now()).toBeLessThanOrEqual(30_000); // 30 s tokens: always near expiry
    const me = await client.rest.GET("/api/v1/users/me");
    expect(me.response.status).toBe(200);
    const after = client.tokens.get()!;
    expect(after.refreshToken).not.toBe(before.refreshToken); // rotated by the proactive refresh

    client.tokens.set({ ...after, accessToken: "not-a-token", expiresAt: Date.now() + 3_600_000 });
    const retried = await client.rest.POST("/api/v1/boards", { body: { title: "after refresh", isPublic: false } });
    expect(retried.response.status).toBe(201); // 401 → refresh → the same POST again, body included
    expect(client.tokens.get()!.accessToken).not.toBe("not-a-token");

    client.tokens.set({ ...client.tokens.get()!, accessToken: "not-a-token", refreshToken: "x".repeat(40), expiresAt: Date.now() + 3_600_000 });
    const refused = await client.rest.GET("/api/v1/boards");
    expect(refused.response.status).toBe(401);
    expect(client.tokens.get()).toBeNull(); // a refused refresh logs out
  });
});
