// Entry of the citizen UI (ui/index.html).
import './kiosk-app.ts';

// Never show a stack trace: unexpected errors are swallowed here (the screens show Chinese messages).
window.addEventListener('error', (e) => e.preventDefault());
window.addEventListener('unhandledrejection', (e) => e.preventDefault());
// A kiosk has no context menu or pinch zoom.
window.addEventListener('contextmenu', (e) => e.preventDefault());
