import './evaluator-app.ts';
