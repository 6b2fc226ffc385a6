# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sourced by the tests that need a pristine Debian 12 machine: a `minbase`
# root made by debootstrap from this machine's configured Debian mirror, run
# through chroot. The untouched root is cached as a tarball between runs
# ($AI2IN_CACHE_DIR, default /var/cache/ai2in), and so are apt's package
# lists and the packages it downloads into such roots, so a later run asks
# the mirror only whether its lists changed.
#
#   pristine_root_make DIR   unpack (or first bootstrap) a fresh root into DIR
#   pristine_root_enter DIR  mount /proc, /sys, /dev, apt's caches; DNS
#   pristine_root_leave DIR  stop its processes, unmount all, remove DIR
#   in_root DIR CMD...       run CMD chrooted, with a clean environment
#   apt_in_root DIR ARGS...  apt-get ARGS chrooted, non-interactive

AI2IN_CACHE_DIR=${AI2IN_CACHE_DIR:-/var/cache/ai2in}
PRISTINE_TARBALL=$AI2IN_CACHE_DIR/bookworm-minbase.tar.gz
PRISTINE_ARCHIVES=$AI2IN_CACHE_DIR/apt-archives
PRISTINE_LISTS=$AI2IN_CACHE_DIR/apt-lists

# The mirror apt on this machine uses for bookworm, as `apt-cache policy`
# reports it whatever the sources file's format; deb.debian.org when none.
pristine_mirror() {
    local suite=$1 url
    url=$(apt-cache policy 2>/dev/null | awk -v s=" $suite/main " 'index($0, s) && $2 ~ /^https?:/ { print $2; exit }')
    printf '%s\n' "${url:-http://deb.debian.org/$2}"
}

pristine_root_make() {
    local root=$1 mirror security
    mirror=${AI2IN_DEBIAN_MIRROR:-$(pristine_mirror bookworm debian)}
    security=${AI2IN_DEBIAN_SECURITY_MIRROR:-$(pristine_mirror bookworm-security debian-security)}
    mkdir -p "$AI2IN_CACHE_DIR" "$PRISTINE_ARCHIVES/partial" "$PRISTINE_LISTS/partial"
    if [ ! -f "$PRISTINE_TARBALL" ]; then
        echo "==> Bootstrapping a Debian 12 minbase root from $mirror (cached in $PRISTINE_TARBALL)"
        debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 || {
            tail -20 "$root.debootstrap.log" >&2
            echo "pristine-root: debootstrap from $mirror failed (its log ends above)." >&2
            return 1
        }
        rm -f "$root.debootstrap.log"
        tar -C "$root" -czf "$PRISTINE_TARBALL.part" . && mv "$PRISTINE_TARBALL.part" "$PRISTINE_TARBALL"
    else
        tar -C "$root" -xzf "$PRISTINE_TARBALL"
    fi
    # As / of a machine: mktemp made it 0700 (and so says the tarball), which
    # no user could pass.
    chmod 0755 "$root"
    cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
}

pristine_root_enter() {
    local root=$1
    mount -t proc proc "$root/proc"
    mount -t sysfs sysfs "$root/sys"
    mount --bind /dev "$root/dev"
    mount --bind /dev/pts "$root/dev/pts"
    mount --bind "$PRISTINE_ARCHIVES" "$root/var/cache/apt/archives"
    mount --bind "$PRISTINE_LISTS" "$root/var/lib/apt/lists"
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    # The machine's own network settings come with it, as they would with
    # any fresh machine on this network: its resolver (above) and the CAs its
    # administrator added (a TLS-inspecting proxy's), which the registries'
    # https needs. Installed the way Debian installs local CAs.
    if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
        mkdir -p "$root/usr/local/share/ca-certificates"
        cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
        if [ -x "$root/usr/sbin/update-ca-certificates" ]; then
            chroot "$root" update-ca-certificates >/dev/null 2>&1 || true
        fi
    fi
}

pristine_root_leave() {
    local root=$1 pid m
    [ -d "$root" ] || return 0
    # A daemon a package started (dbus, gpg-agent …) keeps mounts busy.
    for pid in $(ls /proc | grep -E '^[0-9]+$'); do
        [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$root" ] && kill -KILL "$pid" 2>/dev/null
    done
    for m in var/lib/apt/lists var/cache/apt/archives dev/pts dev sys proc; do
        if mountpoint -q "$root/$m"; then
            umount "$root/$m" 2>/dev/null || umount -l "$root/$m"
        fi
    done
    if grep -qF " $root/" /proc/self/mounts; then
        echo "pristine-root: something is still mounted under $root; left it in place." >&2
        return 1
    fi
    rm -rf --one-file-system "$root"
}

# IN_ROOT_NETNS=own runs the command in a network namespace of its own: a
# chroot shares the host's, and a package's scripts may change it.
in_root() {
    local root=$1
    shift
    local prefix=()
    [ "${IN_ROOT_NETNS:-}" = own ] && prefix=(unshare --net)
    "${prefix[@]}" chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
}

# apt in the chroot downloads as root: its _apt user cannot write the
# bind-mounted cache.
apt_in_root() {
    local root=$1
    shift
    in_root "$root" env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o APT::Sandbox::User=root \
        -o DPkg::Lock::Timeout=600 "$@"
}
