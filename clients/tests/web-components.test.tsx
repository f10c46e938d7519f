// Components of the web app in jsdom: card states, the virtualised grid, the media picker, the sign-in screen,
// and the schema form's media fields. Hooks get a real client (mutations only fire on click).
import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Generation } from "../src";
import { AuthScreen } from "../web/src/auth/AuthScreen";
import { GenerationCard } from "../web/src/gallery/GenerationCard";
import { VirtualGrid } from "../web/src/gallery/VirtualGrid";
import { expectedType, MediaInput } from "../web/src/generate/MediaInput";
import { refInfo, refKind, SchemaForm } from "../web/src/generate/SchemaForm";
import { makeClient, SERVER, wrapperFor } from "./support";

const wrapper = SERVER ? wrapperFor(makeClient()) : undefined;

function gen(patch: Partial<Generation>): Generation {
  return {
    id: "g1", tenantId: "t", boardId: "b", userId: "u", generatorName: "local-image", artifactType: "image",
    storageUrl: null, thumbnailUrl: null, additionalFiles: [], inputParams: { prompt: "a lighthouse at dusk" },
    outputMetadata: {}, externalJobId: null, status: "completed", progress: 1, phase: null, message: null,
    errorMessage: null, startedAt: null, completedAt: null, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(),
    ...patch,
  } as Generation;
}

describe.skipIf(!SERVER)("gallery card", () => {
  it("shows prompt, generator and time; a running one its phase, progress and message", () => {
    render(<GenerationCard generation={gen({ status: "processing", progress: 0.4, phase: "processing", message: "step 2/5" })} onOpen={() => {}} canEdit />, { wrapper });
    const card = screen.getByRole("article");
    expect(card.dataset.status).toBe("processing");
    expect(within(card).getByText("a lighthouse at dusk")).toBeTruthy();
    expect(within(card).getByText("local-image")).toBeTruthy();
    expect(within(card).getByText("just now")).toBeTruthy();
    expect(within(card).getByText("Processing")).toBeTruthy();
    expect(within(card).getByText("40% · step 2/5")).toBeTruthy();
    expect((within(card).getByRole("progressbar") as HTMLProgressElement).value).toBeCloseTo(0.4);
    expect(within(card).getByRole("button", { name: "Cancel" })).toBeTruthy();
    expect(within(card).queryByRole("button", { name: "Retry" })).toBeNull();
  });

  it("shows a failure with its error and Retry, and no progress bar", () => {
    render(<GenerationCard generation={gen({ status: "failed", progress: 0.9, errorMessage: "provider refused the prompt" })} onOpen={() => {}} canEdit />, { wrapper });
    const card = screen.getByRole("article");
    expect(within(card).getByText("Failed")).toBeTruthy();
    expect(within(card).getByText("provider refused the prompt")).toBeTruthy();
    expect(within(card).queryByRole("progressbar")).toBeNull();
    expect(within(card).getByRole("button", { name: "Retry" })).toBeTruthy();
  });

  it("opens the detail from the medium's button, named after the prompt", () => {
    const onOpen = vi.fn();
    render(<GenerationCard generation={gen({ status: "cancelled" })} onOpen={onOpen} canEdit={false} />, { wrapper });
    fireEvent.click(screen.getByRole("button", { name: /^Open a lighthouse at dusk/ }));
    expect(onOpen).toHaveBeenCalledOnce();
    expect(screen.getByText("Cancelled")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Retry" })).toBeNull(); // viewers cannot retry
  });
});

describe.skipIf(!SERVER)("batch stacks", () => {
  it("a batch's card says how many variations it holds and opens into them", () => {
    const onOpenStack = vi.fn();
    render(<GenerationCard generation={gen({})} onOpen={() => {}} canEdit stack={4} onOpenStack={onOpenStack} />, { wrapper });
    fireEvent.click(screen.getByRole("button", { name: "4 variations" }));
    expect(onOpenStack).toHaveBeenCalledOnce();
  });

  it("says how many of its variations still run, even when the one on top is done", () => {
    render(<GenerationCard generation={gen({})} onOpen={() => {}} canEdit={false} stack={3} stackRunning={2} />, { wrapper });
    expect(screen.getByRole("button", { name: "3 variations · 2 running" })).toBeTruthy();
  });
});

describe("virtualised grid", () => {
  it("renders a bounded number of cells for 5,000 items", () => {
    const items = Array.from({ length: 5000 }, (_, i) => `item ${i}`);
    render(<VirtualGrid label="Generations" items={items} keyOf={(x) => x} render={(x) => <span>{x}</span>} />);
    const cells = within(screen.getByRole("list", { name: "Generations" })).getAllByRole("listitem");
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.length).toBeLessThan(100);
    expect(screen.getByText("item 0")).toBeTruthy();
    expect(screen.queryByText("item 4999")).toBeNull();
  });
});

describe.skipIf(!SERVER)("media inputs", () => {
  const schema = {
    type: "object",
    properties: {
      prompt: { type: "string", title: "Prompt" },
      init_image: { anyOf: [{ type: "string", format: "uuid", "x-atelier-artifact": true }, { type: "null" }], title: "Init Image" },
    },
  };

  it("are found in the schema and never drawn as a text box", () => {
    expect(refKind(schema.properties.init_image)).toBe("one");
    expect(refKind({ type: "array", items: { type: "string", "x-atelier-artifact": true } })).toBe("list");
    expect(refKind(schema.properties.prompt)).toBeNull();
    // a catalog entry names the medium on the array itself (`x-atelier-artifact: image`)
    expect(refInfo({ type: "array", "x-atelier-artifact": "image", items: { type: "string" } })).toEqual({ list: true, type: "image" });
    expect(refInfo(schema.properties.init_image)).toEqual({ list: false, type: null });
    expect(expectedType("init_image")).toBe("image");
    expect(expectedType("audio_prompt")).toBe("audio");
    const { container } = render(
      <SchemaForm schema={schema} values={{}} onChange={() => {}} renderRef={(f) => <em>picker for {f.label}</em>} />,
    );
    expect(container.querySelector('input[name="init_image"]')).toBeNull();
    expect(screen.getByText("picker for Init Image")).toBeTruthy();
  });

  it("pick an image of the board's gallery (only completed images are offered)", () => {
    const set = vi.fn();
    const gallery = [
      gen({ id: "img", thumbnailUrl: "data:," }),
      gen({ id: "snd", artifactType: "audio", inputParams: { prompt: "a tune" } }),
      gen({ id: "run", status: "processing", inputParams: { prompt: "not yet" } }),
    ];
    render(<MediaInput boardId="b" name="init_image" label="Init Image" list={false} value={undefined} set={set} gallery={gallery} />, { wrapper });
    fireEvent.click(screen.getByRole("button", { name: "Choose from board" }));
    const options = screen.getAllByRole("button", { name: /^Use / });
    expect(options.map((b) => b.getAttribute("aria-label"))).toEqual(["Use a lighthouse at dusk"]);
    fireEvent.click(options[0]!);
    expect(set).toHaveBeenCalledWith("img");
  });
});

describe.skipIf(!SERVER)("sign-in screen", () => {
  it("offers log in first and sign up with a display name; every field has a name", () => {
    const config = { mode: "local", localAccounts: true, emailVerification: false, passwordReset: false };
    render(<AuthScreen config={config} />, { wrapper });
    expect(screen.getByLabelText("Email")).toBeTruthy();
    expect(screen.getByLabelText("Password")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Log in" })).toBeTruthy();
    expect(screen.queryByLabelText("Display name")).toBeNull();
    fireEvent.click(screen.getByRole("tab", { name: "I am new here" }));
    expect(screen.getByRole("button", { name: "Sign up" })).toBeTruthy();
    expect(screen.getByLabelText("Display name")).toBeTruthy();
    expect((screen.getByLabelText("Password") as HTMLInputElement).minLength).toBe(8);
  });
});
