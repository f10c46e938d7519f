/** The generator choice, kept in one component so a catalog (groups by type/provider, prices) can replace it. */
import type { GeneratorInfo } from "../../../src";

const ORDER = ["image", "video", "audio", "text"];

export function GeneratorPicker(props: { generators: GeneratorInfo[]; value: string; onChange: (name: string) => void }) {
  const groups = new Map<string, GeneratorInfo[]>();
  for (const g of props.generators) groups.set(g.artifactType, [...(groups.get(g.artifactType) ?? []), g]);
  const types = [...groups.keys()].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
  return (
    <label>
      Generator
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {types.map((type) => (
          <optgroup key={type} label={type}>
            {groups.get(type)!.map((g) => (
              <option key={g.name} value={g.name}>{g.name}</option>
            ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}
