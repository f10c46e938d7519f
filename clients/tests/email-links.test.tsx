// The pages mailed links open: a token is posted once (never twice, even with React's double effects), a bad
// or unusable link says so with a way on, and the reset page asks for a new password.
import { render, screen, waitFor } from "@testing-library/react";
import { StrictMode } from "react";
import { describe, expect, it, vi } from "vitest";
import { EmailLinkPage } from "../web/src/auth/EmailLinkPage";
import { makeClient, SERVER, wrapperFor } from "./support";

describe.skipIf(!SERVER)("mailed links", () => {
  it("posts a verification token once and shows the server's refusal with a way back", async () => {
    // Counted below the client (the typed REST calls hold the authenticated fetch from creation, so a spy on
    // client.fetch would not see them).
    const spy = vi.fn((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
    const client = makeClient({ fetch: spy });
    const Wrapper = wrapperFor(client);
    render(
      <StrictMode>
        <Wrapper>
          <EmailLinkPage kind="verify" token="not-a-real-token-0123456789" />
        </Wrapper>
      </StrictMode>,
    );
    await waitFor(() => expect(screen.getByRole("alert")).toBeTruthy());
    expect(screen.getByRole("link", { name: "Go to Atelier" }).getAttribute("href")).toBe("/#/");
    const url = (input: RequestInfo | URL) => (input instanceof Request ? input.url : String(input));
    const posts = spy.mock.calls.filter(([input]) => url(input).endsWith("/api/v1/auth/verify"));
    expect(posts).toHaveLength(1);
  });

  it("asks for a new password on a reset link, and says when a link has no token", () => {
    const Wrapper = wrapperFor(makeClient());
    const { unmount } = render(<EmailLinkPage kind="reset" token="t0123456789abcdef" />, { wrapper: Wrapper });
    expect((screen.getByLabelText("New password") as HTMLInputElement).minLength).toBe(8);
    expect(screen.getByRole("button", { name: "Set new password" })).toBeTruthy();
    unmount();
    render(<EmailLinkPage kind="invitation" token="" />, { wrapper: Wrapper });
    expect(screen.getByRole("alert").textContent).toContain("no token");
  });
});
