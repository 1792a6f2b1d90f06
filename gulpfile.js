// Copies what tsc does not: node/credential icons and codex files (*.node.json) next to the compiled
// .js files in dist/, so n8n finds `file:` icons and codex categories where the description points.
const { src, dest, task } = require('gulp');

function copyAssets() {
	return src(['nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

task('build:assets', copyAssets);
exports['build:assets'] = copyAssets;
