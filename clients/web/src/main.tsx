import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { AtelierProvider, createAtelierClient, localStorageTokenStore } from "../../src";
import { App } from "./App";
import "./style.css";

const client = createAtelierClient({ tokens: localStorageTokenStore() });

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <AtelierProvider client={client}>
      <App />
    </AtelierProvider>
  </StrictMode>,
);
