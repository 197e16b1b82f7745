import './report-app.ts';
