import type { Surface } from '../surface.js';

// Placeholder until the surface is built (see the surfaces issue).
export const luminSurface: Surface = {
  name: 'lumin',
  async register() {},
};
