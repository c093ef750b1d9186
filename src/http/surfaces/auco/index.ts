import type { Surface } from '../surface.js';

// Placeholder until the surface is built (see the surfaces issue).
export const aucoSurface: Surface = {
  name: 'auco',
  async register() {},
};
