/**
 * The web console: a page served by callsim itself (static files from the package) that reads
 * and drives the simulator only through the control API, /_callsim, as any client could.
 */
export { CONSOLE_FILES, CONSOLE_PATH, createConsolePages } from './console-pages.js'
