// The help centre: articles and their versions, Chinese-aware search, the public /help pages and the widget's suggestions.

export { registerHelpCentreRoutes } from './help-centre.routes.js';
export { registerHelpEditingRoutes } from './help-editing.routes.js';
export { importHelpContent } from './import-help-content.js';
export { registerHelpPages } from './pages/help-pages.routes.js';
export { warmUpHelpCentre } from './warm-up.js';
