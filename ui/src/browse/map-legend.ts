// The speed legend that lies on the map (map.ts): the colour ramp of the tracks from 0 to
// the top of the speed scale, and what the start and end marks look like.

import { textElement } from "../dom";
import { rampGradient } from "./scale";

/** The legend's parts for a speed scale topping out at `maxSpeed` knots. */
export function speedLegend(maxSpeed: number): HTMLElement[] {
  const bar = document.createElement("span");
  bar.className = "legend-ramp";
  bar.style.backgroundImage = rampGradient();
  const ticks = document.createElement("span");
  ticks.className = "legend-ticks";
  ticks.append(
    textElement("span", "0"),
    textElement("span", String(Math.round((maxSpeed / 2) * 10) / 10)),
    textElement("span", `${maxSpeed}+`),
  );
  const scale = document.createElement("span");
  scale.className = "legend-scale";
  scale.append(bar, ticks);
  return [
    textElement("span", "Speed (kn)", "legend-title"),
    scale,
    textElement("span", "start", "legend-start"),
    textElement("span", "end", "legend-end"),
  ];
}
