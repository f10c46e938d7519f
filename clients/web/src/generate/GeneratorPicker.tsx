/** The generator choice: the catalog grouped by artifact type and provider, with prices and a filter box. */
import { useState } from "react";
import type { GeneratorGroup } from "../../../src";
import { groupLabel, groupsMatching, ordered, priceLabel, providerLabel, titleOf } from "./catalog";

/** Below this many generators the filter box is noise. */
const FILTER_FROM = 8;

export function GeneratorPicker(props: { groups: GeneratorGroup[]; value: string; onChange: (name: string) => void }) {
  const [text, setText] = useState("");
  const all = props.groups.flatMap((group) => group.generators);
  const shown = groupsMatching(ordered(props.groups), text, props.value);
  const chosen = all.find((g) => g.name === props.value);
  const count = shown.reduce((n, group) => n + group.generators.length, 0);
  return (
    <div className="picker stack">
      {all.length >= FILTER_FROM && (
        <label>
          Filter models
          <input
            type="search"
            value={text}
            placeholder="flux, video, speech…"
            aria-describedby="picker-count"
            onChange={(e) => setText(e.target.value)}
          />
        </label>
      )}
      <label>
        Generator
        <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
          {shown.map((group) => (
            <optgroup key={`${group.artifactType}/${group.provider}`} label={groupLabel(group)}>
              {group.generators.map((g) => (
                <option key={g.name} value={g.name}>
                  {titleOf(g)} ({priceLabel(g)})
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <p className="muted small" id="picker-count" aria-live="polite">
        {text ? `${count} of ${all.length} models match` : `${all.length} models`}
        {chosen && (
          <>
            {" · "}
            {providerLabel(chosen.provider ?? "local")}
            {chosen.task ? ` · ${chosen.task}` : ""} · {chosen.price?.summary || priceLabel(chosen)}
          </>
        )}
      </p>
    </div>
  );
}
