import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { SchemaForm } from "../web/src/generate/SchemaForm";

describe("the page's form rendered from an input schema", () => {
  const schema = {
    type: "object",
    required: ["prompt"],
    properties: {
      prompt: { type: "string", title: "Prompt", maxLength: 50 },
      sample_rate: { type: "integer", title: "Sample Rate", enum: [8000, 16000], default: 16000 },
      seed: { anyOf: [{ type: "integer" }, { type: "null" }], title: "Seed", default: null },
      loud: { type: "boolean", title: "Loud" },
    },
  };

  it("keeps enum values' types, turns numbers into numbers and drops cleared fields", () => {
    const onChange = vi.fn();
    const { container, rerender } = render(<SchemaForm schema={schema} values={{}} onChange={onChange} />);
    expect(container.querySelector("label")!.textContent).toBe("Prompt *"); // required
    expect(screen.getByRole("textbox")).toHaveProperty("required", true);
    const select = container.querySelector('select[name="sample_rate"]') as HTMLSelectElement;
    expect(select.selectedOptions[0]!.textContent).toBe("16000"); // the default
    fireEvent.change(select, { target: { value: "0" } });
    expect(onChange).toHaveBeenLastCalledWith({ sample_rate: 8000 }); // a number, as the schema says

    const seed = container.querySelector('input[name="seed"]') as HTMLInputElement;
    expect(seed.type).toBe("number"); // nullable integer
    fireEvent.change(seed, { target: { value: "42" } });
    expect(onChange).toHaveBeenLastCalledWith({ seed: 42 });

    rerender(<SchemaForm schema={schema} values={{ seed: 42 }} onChange={onChange} />);
    fireEvent.change(seed, { target: { value: "" } });
    expect(onChange).toHaveBeenLastCalledWith({});

    fireEvent.click(container.querySelector('input[name="loud"]')!);
    expect(onChange).toHaveBeenLastCalledWith({ seed: 42, loud: true });
  });
});
