#!/usr/bin/env bash
# Builds kitle_VERSION_ARCH.deb: the binary (the distribution build, stripped and
# link-time optimised, unless KITLE_BIN names one), the icon in the usual sizes, the
# .desktop entry and the shared MIME type for *.kitle, so that double-clicking a
# workspace opens Kitle once the package is installed. Uses only dpkg-deb.
#   bash packaging/deb/build-deb.sh            # → target/kitle_VERSION_ARCH.deb
#   KITLE_BIN=path/to/kitle OUT_DIR=dir bash packaging/deb/build-deb.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
target="${CARGO_TARGET_DIR:-target}"
if [ -z "${KITLE_BIN:-}" ]; then
  cargo build --profile dist --locked --bin kitle
  KITLE_BIN="$target/dist/kitle"
fi
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
arch=$(dpkg --print-architecture)
out="${OUT_DIR:-$target}"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/kitle_${version}_${arch}"

install -Dm755 "$KITLE_BIN" "$root/usr/bin/kitle"
install -Dm644 assets/kitle.desktop "$root/usr/share/applications/kitle.desktop"
install -Dm644 assets/kitle-mime.xml "$root/usr/share/mime/packages/kitle.xml"
for icon in assets/icons/hicolor/*/apps/kitle.png; do
  install -Dm644 "$icon" "$root/usr/share/${icon#assets/}"
done
install -Dm644 README.md "$root/usr/share/doc/kitle/README.md"

mkdir -p "$root/DEBIAN"
installed_kb=$(du -sk "$root/usr" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: kitle
Version: $version
Architecture: $arch
Maintainer: Kitle developers <kitle@localhost>
Installed-Size: $installed_kb
Depends: libc6, libgl1, libxkbcommon0, libfontconfig1
Recommends: libxkbcommon-x11-0, libxcursor1, libxi6, libxrandr2, gnome-keyring | kwalletmanager
Section: office
Priority: optional
Description: Customer segments, personas and audiences from your spreadsheets
 Kitle opens customer and order spreadsheets (CSV, Excel, ODS) and shows the
 customer universe, smart segments, personas, RFM and predicted value, and turns
 segments into remarketing audiences for Google Ads and Meta. Offline unless asked.
CONTROL
# Refresh the MIME, desktop and icon caches so *.kitle opens with Kitle at once.
for script in postinst postrm; do
  cat > "$root/DEBIAN/$script" <<'HOOK'
#!/bin/sh
set -e
if command -v update-mime-database >/dev/null; then update-mime-database /usr/share/mime || true; fi
if command -v update-desktop-database >/dev/null; then update-desktop-database -q /usr/share/applications || true; fi
if command -v gtk-update-icon-cache >/dev/null; then gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true; fi
HOOK
  chmod 755 "$root/DEBIAN/$script"
done

mkdir -p "$out"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out/kitle_${version}_${arch}.deb" >/dev/null
echo "$out/kitle_${version}_${arch}.deb"
