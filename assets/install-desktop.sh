#!/usr/bin/env bash
# Installs Kitle for the current user so that double-clicking a .kitle file opens it:
# the binary (built in release mode unless KITLE_BIN names one), the icon, the
# .desktop entry and the MIME type. Undo by deleting the files it lists.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${XDG_DATA_HOME:-$HOME/.local/share}"
bin_dir="${KITLE_BIN_DIR:-$HOME/.local/bin}"
if [ -z "${KITLE_BIN:-}" ]; then
  cargo build --release --locked --bin kitle
  KITLE_BIN="${CARGO_TARGET_DIR:-target}/release/kitle"
fi
install -Dm755 "$KITLE_BIN" "$bin_dir/kitle"
install -Dm644 assets/kitle.png "$data/icons/hicolor/256x256/apps/kitle.png"
mkdir -p "$data/applications"
sed "s|^Exec=kitle|Exec=$bin_dir/kitle|" assets/kitle.desktop > "$data/applications/kitle.desktop"
install -Dm644 assets/kitle-mime.xml "$data/mime/packages/kitle.xml"
command -v update-mime-database >/dev/null && update-mime-database "$data/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
command -v xdg-mime >/dev/null && xdg-mime default kitle.desktop application/x-kitle-workspace || true
echo "Installed:"
printf '  %s\n' "$bin_dir/kitle" "$data/applications/kitle.desktop" "$data/mime/packages/kitle.xml" \
  "$data/icons/hicolor/256x256/apps/kitle.png"
