/** A form rendered from a generator's input JSON Schema: strings, numbers, booleans, enums, nullable fields. */
import type { FieldSchema, InputSchema } from "../../src";

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
  return (
    <input name={name} type="text" required={required} maxLength={field.maxLength} value={text} onChange={(e) => set(e.target.value)} />
  );
}

export function SchemaForm(props: {
  schema: InputSchema;
  values: Record<string, unknown>;
  onChange: (values: Record<string, unknown>) => void;
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
      {Object.entries(props.schema.properties ?? {}).map(([name, field]) => (
        <label key={name} title={field.description}>
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
      ))}
    </div>
  );
}
