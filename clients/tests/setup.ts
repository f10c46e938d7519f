import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// waitFor polls for up to 15 s (default 1 s): the servers share a small machine with the rest of the suite.
configure({ asyncUtilTimeout: 15_000 });

// Unmount after every test (Testing Library only does this by itself with vitest globals on): a hook left
// mounted keeps its SSE stream open, and a message arriving after jsdom is torn down made React touch
// `window` ("ReferenceError: window is not defined", seen under load).
afterEach(() => {
  cleanup();
});
