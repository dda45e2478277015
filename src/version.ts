// Written by scripts/prepare-build.mjs from package.json; do not edit.
export const WIDGET_NAME = 'marketing-consent';
export const WIDGET_VERSION = '0.1.0';
