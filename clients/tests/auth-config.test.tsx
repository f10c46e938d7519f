// useAuthConfig and useChangePassword against both real servers: the page decides its screens from these.
import { act, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { createAtelierClient, memoryTokenStore, useAuth, useAuthConfig, useChangePassword } from "../src";
import { AUTH_SERVER, makeClient, unique, wrapperFor } from "./support";

describe("the server's auth mode", () => {
  it("is none on make run's server: no sign-in screens", async () => {
    const config = renderHook(() => useAuthConfig(), { wrapper: wrapperFor(makeClient()) });
    await waitFor(() => expect(config.result.current.config).not.toBeNull());
    expect(config.result.current.config).toMatchObject({ mode: "none", localAccounts: false });
  });

  it.skipIf(!AUTH_SERVER)("is local with accounts on the other; a password change needs the current one", async () => {
    const client = createAtelierClient({ baseUrl: AUTH_SERVER, tokens: memoryTokenStore() });
    const wrapper = wrapperFor(client);
    const config = renderHook(() => useAuthConfig(), { wrapper });
    await waitFor(() => expect(config.result.current.config).toMatchObject({ mode: "local", localAccounts: true }));

    const email = `${unique("pw").replace(/[^a-z0-9]+/gi, "")}@example.test`;
    const hooks = renderHook(() => ({ auth: useAuth(), change: useChangePassword() }), { wrapper });
    await act(async () => {
      await hooks.result.current.auth.signUp.mutateAsync({ email, password: "correct horse 42" });
    });
    await act(async () => {
      await hooks.result.current.change.mutateAsync({ currentPassword: "wrong one", newPassword: "new horse 4242" }).catch(() => undefined);
    });
    await waitFor(() => expect(hooks.result.current.change.error).toBeTruthy());
    expect((hooks.result.current.change.error as { status?: number }).status).toBeGreaterThanOrEqual(400);
    await act(async () => {
      await hooks.result.current.change.mutateAsync({ currentPassword: "correct horse 42", newPassword: "new horse 4242" });
    });
    await act(async () => {
      await hooks.result.current.auth.logOut.mutateAsync();
      await hooks.result.current.auth.logIn.mutateAsync({ email, password: "new horse 4242" });
    });
    await waitFor(() => expect(hooks.result.current.auth.user?.email).toBe(email));
  });
});
