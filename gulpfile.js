// Copies what tsc does not: node/credential icons and codex files (*.node.json) next to the compiled
// .js files, so n8n finds `file:` icons and codex categories where the description points.
// BUILD_OUT_DIR lets tests and the e2e packer build into a scratch folder without touching dist/.
const { src, dest, task } = require('gulp');

function copyAssets() {
	return src(['nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png}'], {
		base: '.',
		encoding: false,
	}).pipe(dest(process.env.BUILD_OUT_DIR || 'dist'));
}

task('build:assets', copyAssets);
exports['build:assets'] = copyAssets;
