import './counter-app.ts';
