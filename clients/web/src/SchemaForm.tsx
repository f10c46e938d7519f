/** A form rendered from a generator's input JSON Schema: strings, numbers, booleans, enums, nullable fields. */
import type { FieldSchema, InputSchema } from "../../src";

function baseType(field: FieldSchema): { type: string; enum?: unknown[] } {
  const options = field.anyOf?.filter((f) => f.type !== "null") ?? [];
  const inner = options.length === 1 ? { ...options[0], ...field, anyOf: undefined } : field;
  const type = Array.isArray(inner.type) ? inner.type.find((t) => t !== "null") : inner.type;
  return { type: type ?? "string", enum: inner.enum ?? options[0]?.enum };
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
      {Object.entries(props.schema.properties ?? {}).map(([name, field]) => {
        const { type, enum: options } = baseType(field);
        const label = field.title ?? name;
        const value = props.values[name] ?? field.default ?? "";
        let input;
        if (options) {
          input = (
            <select
              name={name}
              value={options.includes(value) ? String(options.indexOf(value)) : ""}
              onChange={(e) => set(name, e.target.value === "" ? undefined : options[Number(e.target.value)])}
            >
              {!required.has(name) && <option value="">—</option>}
              {options.map((o, i) => (
                <option key={String(o)} value={String(i)}>{String(o)}</option>
              ))}
            </select>
          );
        } else if (type === "boolean") {
          input = <input name={name} type="checkbox" checked={Boolean(value)} onChange={(e) => set(name, e.target.checked)} />;
        } else if (type === "integer" || type === "number") {
          input = (
            <input
              name={name}
              type="number"
              step={type === "integer" ? 1 : "any"}
              min={field.minimum}
              max={field.maximum}
              value={value === null ? "" : String(value)}
              onChange={(e) => set(name, e.target.value === "" ? undefined : Number(e.target.value))}
            />
          );
        } else {
          input = (
            <input
              name={name}
              type="text"
              required={required.has(name)}
              maxLength={field.maxLength}
              value={value === null ? "" : String(value)}
              onChange={(e) => set(name, e.target.value)}
            />
          );
        }
        return (
          <label key={name} title={field.description}>
            {label}
            {required.has(name) && " *"}
            {input}
          </label>
        );
      })}
    </div>
  );
}
