/* Where Debian's chromium lives; CHROMIUM_PATH overrides. */
const fs = require('node:fs');

function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean);
  return candidates.find((p) => fs.existsSync(p)) || null;
}

module.exports = { findChromium };
