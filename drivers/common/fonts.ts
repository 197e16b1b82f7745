import { createRequire } from 'node:module';

/**
 * The product's one font: Noto Sans SC (SIL Open Font License) from the
 * @expo-google-fonts/noto-sans-sc package, so the kiosk screens and the receipt previews
 * (drivers/printer/render-png.ts) render the same on any machine, with or without system
 * fonts. The daemon serves these files to the UI at `/fonts/<name>` (server/ui.ts).
 */
const require = createRequire(import.meta.url);

export const PRODUCT_FONT_FAMILY = 'Noto Sans SC';

export const PRODUCT_FONTS = Object.freeze({
  'noto-sans-sc-400.ttf': require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
  'noto-sans-sc-700.ttf': require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'),
} as const);

export type ProductFontName = keyof typeof PRODUCT_FONTS;
