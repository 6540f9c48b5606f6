// Imported before resvg (render.ts, pool.ts): resvg's allocator reads its settings from the
// environment once, when the addon loads.
import { keepChartPagesWarm } from '../config.js';

keepChartPagesWarm();
