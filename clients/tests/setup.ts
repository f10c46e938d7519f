import { configure } from "@testing-library/react";

// waitFor polls for up to 15 s (default 1 s): the servers share a small machine with the rest of the suite.
configure({ asyncUtilTimeout: 15_000 });
