import './call-display.ts';
