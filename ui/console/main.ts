import './tech-console.ts';
