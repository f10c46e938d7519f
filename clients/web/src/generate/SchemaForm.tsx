/**
 * A form rendered from a generator's input JSON Schema: strings, numbers, booleans, enums, nullable fields.
 * Fields that reference earlier generations (`x-atelier-artifact`) are drawn by `renderRef` (a media picker),
 * never as a text box for an id.
 */
import type { ReactNode } from "react";
import type { FieldSchema, InputSchema } from "../../../src";

const MEDIA = new Set(["image", "video", "audio", "text"]);

/** The `x-atelier-artifact` marker of a field or its options: true, or the medium it wants ("image"…). */
function marker(field: FieldSchema): unknown {
  const options = [field, ...(field.anyOf ?? [])];
  for (const o of options) {
    const found = o["x-atelier-artifact"] ?? (o.items as FieldSchema | undefined)?.["x-atelier-artifact"];
    if (found) return found;
  }
  return undefined;
}

/** Whether a field holds generation ids (one, or a list), and which medium it wants when the schema says. */
export function refInfo(field: FieldSchema): { list: boolean; type: string | null } | null {
  const found = marker(field);
  if (!found) return null;
  const list = [field, ...(field.anyOf ?? [])].some((o) => o.type === "array");
  return { list, type: typeof found === "string" && MEDIA.has(found.toLowerCase()) ? found.toLowerCase() : null };
}

export function refKind(field: FieldSchema): "one" | "list" | null {
  const info = refInfo(field);
  return info ? (info.list ? "list" : "one") : null;
}

export type RefRenderer = (args: {
  name: string;
  label: string;
  list: boolean;
  type: string | null;
  value: unknown;
  set: (value: unknown) => void;
}) => ReactNode;

function baseType(field: FieldSchema): { type: string; enum?: unknown[] } {
  const options = field.anyOf?.filter((f) => f.type !== "null") ?? [];
  const inner = options.length === 1 ? { ...options[0], ...field, anyOf: undefined } : field;
  const type = Array.isArray(inner.type) ? inner.type.find((t) => t !== "null") : inner.type;
  return { type: type ?? "string", enum: inner.enum ?? options[0]?.enum };
}

interface FieldProps {
  name: string;
  field: FieldSchema;
  required: boolean;
  value: unknown;
  set: (value: unknown) => void;
}

/** One input; enum options keep their JSON types (an integer enum sends integers). */
function FieldInput({ name, field, required, value, set }: FieldProps) {
  const { type, enum: options } = baseType(field);
  if (options) {
    return (
      <select
        name={name}
        value={options.includes(value) ? String(options.indexOf(value)) : ""}
        onChange={(e) => set(e.target.value === "" ? undefined : options[Number(e.target.value)])}
      >
        {!required && <option value="">—</option>}
        {options.map((o, i) => (
          <option key={String(o)} value={String(i)}>{String(o)}</option>
        ))}
      </select>
    );
  }
  if (type === "boolean") {
    return <input name={name} type="checkbox" checked={Boolean(value)} onChange={(e) => set(e.target.checked)} />;
  }
  const text = value === null || value === undefined ? "" : String(value);
  if (type === "integer" || type === "number") {
    return (
      <input
        name={name}
        type="number"
        step={type === "integer" ? 1 : "any"}
        min={field.minimum}
        max={field.maximum}
        value={text}
        onChange={(e) => set(e.target.value === "" ? undefined : Number(e.target.value))}
      />
    );
  }
  if (name === "prompt" || (field.maxLength ?? 0) > 200) {
    return (
      <textarea name={name} rows={3} required={required} maxLength={field.maxLength} value={text} onChange={(e) => set(e.target.value)} />
    );
  }
  return (
    <input name={name} type="text" required={required} maxLength={field.maxLength} value={text} onChange={(e) => set(e.target.value)} />
  );
}

export function SchemaForm(props: {
  schema: InputSchema;
  values: Record<string, unknown>;
  onChange: (values: Record<string, unknown>) => void;
  renderRef?: RefRenderer;
}) {
  const required = new Set(props.schema.required ?? []);
  const set = (name: string, value: unknown) => {
    const next = { ...props.values };
    if (value === "" || value === undefined) delete next[name];
    else next[name] = value;
    props.onChange(next);
  };
  return (
    <div className="schema-form">
      {Object.entries(props.schema.properties ?? {}).map(([name, field]) => {
        const ref = refInfo(field);
        if (ref && props.renderRef) {
          const label = field.title ?? name;
          return (
            <div key={name} className="ref-field">
              {props.renderRef({ name, label, ...ref, value: props.values[name], set: (value) => set(name, value) })}
            </div>
          );
        }
        return (
          <div key={name} className="field">
            <label title={field.description}>
              {field.title ?? name}
              {required.has(name) && " *"}
              <FieldInput
                name={name}
                field={field}
                required={required.has(name)}
                value={props.values[name] ?? field.default ?? ""}
                set={(value) => set(name, value)}
              />
            </label>
            {field.description && <span className="hint">{field.description}</span>}
          </div>
        );
      })}
    </div>
  );
}
