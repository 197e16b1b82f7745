import './window-display.ts';
