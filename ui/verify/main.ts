// Entry of the public verification page (ui/verify.html, served at /verify.html?code= and /verify/<code>).
import './verify-page.ts';
