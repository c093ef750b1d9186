/** Every provider surface, in the order they are mounted. */
import type { Surface } from './surface.js';
import { aucoSurface } from './auco/index.js';
import { kaizenSurface } from './kaizen/index.js';
import { luminSurface } from './lumin/index.js';
import { singpassSurface } from './singpass/index.js';
import { taktikalSurface } from './taktikal/index.js';

export const SURFACES: readonly Surface[] = [
  luminSurface,
  singpassSurface,
  taktikalSurface,
  kaizenSurface,
  aucoSurface,
];

export function surfaceNamed(name: string): Surface | undefined {
  return SURFACES.find((surface) => surface.name === name);
}
